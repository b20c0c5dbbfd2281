/// A problem with the data files, with what a user can do about it.
public enum DataError: Error, CustomStringConvertible, Equatable {
  /// No directory with the data set was found; `searched` lists every place looked.
  case notFound(searched: [String])
  /// A directory has some of the four files but not all.
  case incomplete(directory: String, missing: [String])
  /// A file could not be opened or read.
  case unreadable(path: String, reason: String)
  /// The gzip stream is damaged.
  case corrupt(path: String, reason: String)
  /// The file ends before the size its header announces.
  case truncated(path: String, expectedBytes: Int, gotBytes: Int)
  /// The file goes on after the size its header announces.
  case trailingData(path: String, expectedBytes: Int)
  /// The IDX magic number is not the expected one.
  case badMagic(path: String, found: UInt32, expected: UInt32)
  /// The dimensions are not the expected ones.
  case badDimensions(path: String, found: [Int], expected: String)
  /// The images and labels files hold different numbers of examples.
  case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
  /// A label is not a valid class index.
  case badLabel(path: String, index: Int, value: Int, classes: Int)
  /// The path is not a regular file (a FIFO, device, socket or directory); it is not opened.
  case notRegularFile(path: String, kind: String)
  /// The header announces more than a data set of this kind may hold.
  case tooLarge(path: String, dimensions: [Int], limit: String)
  /// The file holds no examples.
  case empty(path: String, what: String)
  /// Reading was stopped by the user.
  case interrupted(path: String)
  /// A path could not be used (a NUL inside it, an unknown `~user`).
  case badPath(String)
  /// Data passed in memory is inconsistent.
  case invalid(String)

  static let installHint = "sudo apt-get install dataset-fashion-mnist"

  /// A message a user can act on.
  public var description: String {
    switch self {
    case .notFound(let searched):
      return "Fashion-MNIST not found. Looked in:\n"
        + searched.map { "  - \($0)" }.joined(separator: "\n")
        + "\nFix: `\(Self.installHint)`, or set FASHION_MNIST_DIR to a directory holding "
        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz "
        + "and t10k-labels-idx1-ubyte.gz."
    case .incomplete(let directory, let missing):
      return "\(directory) holds only part of Fashion-MNIST; missing: "
        + missing.joined(separator: ", ")
        + ". Fix: `\(Self.installHint)` or copy the missing files."
    case .unreadable(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .corrupt(let path, let reason):
      return "\(path) is corrupt (\(reason)); reinstall it (`\(Self.installHint)`)"
    case .truncated(let path, let expected, let got):
      return "\(path) is truncated: its header announces \(expected) data bytes but only \(got) "
        + "could be read; reinstall it (`\(Self.installHint)`)"
    case .trailingData(let path, let expected):
      return "\(path) has data beyond the \(expected) bytes its header announces; "
        + "is it the right file?"
    case .badMagic(let path, let found, let expected):
      return "\(path) is not the expected IDX file: magic number 0x"
        + String(found, radix: 16) + Self.magicName(found) + ", expected 0x" + String(expected, radix: 16)
        + Self.magicName(expected)
    case .badDimensions(let path, let found, let expected):
      return "\(path) has dimensions \(found.map(String.init).joined(separator: "×")), "
        + "expected \(expected)"
    case .countMismatch(let images, let imageCount, let labels, let labelCount):
      return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
    case .badLabel(let path, let index, let value, let classes):
      return "\(path): label \(value) at index \(index) is not a class in 0..<\(classes)"
    case .notRegularFile(let path, let kind):
      return "\(path) is a \(kind), not a regular file; data files must be regular files"
    case .tooLarge(let path, let dimensions, let limit):
      return "\(path) announces \(dimensions.map(String.init).joined(separator: "×")) values, more than "
        + "\(limit); it is not a Fashion-MNIST file"
    case .empty(let path, let what):
      return "\(path) holds no \(what); a data set needs at least one"
    case .interrupted(let path):
      return "loading was interrupted while reading \(path); no data set was loaded"
    case .badPath(let why):
      return why
    case .invalid(let why):
      return "invalid data: \(why)"
    }
  }

  /// " (IDX labels)" or " (IDX images)" for the magic numbers of the unsigned-byte kinds.
  static func magicName(_ magic: UInt32) -> String {
    switch magic {
    case 0x801: return " (IDX labels, 1 dimension)"
    case 0x803: return " (IDX images, 3 dimensions)"
    case 0x800...0x8ff: return " (IDX unsigned bytes, \(magic & 0xff) dimensions)"
    default: return ""
    }
  }
}
