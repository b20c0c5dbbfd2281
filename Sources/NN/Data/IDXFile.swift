import CZlib
import Foundation

/// Reads and writes IDX files (the MNIST format), gzip-compressed or plain, through zlib.
public enum IDXFile {
  /// Reads an IDX file of unsigned bytes (type 0x08): its dimensions and its data.
  public static func read(path: String) throws -> (dimensions: [Int], bytes: [UInt8]) {
    let (_, dimensions, storage) = try readStorage(path: path)
    return (dimensions, storage.array)
  }

  /// Writes an IDX file of unsigned bytes, gzip-compressed when `gzip` is true (for fixtures).
  public static func write(path: String, dimensions: [Int], bytes: [UInt8], gzip: Bool) throws {
    let expected = dimensions.reduce(1, *)
    guard dimensions.count < 256, dimensions.allSatisfy({ $0 >= 0 && $0 <= Int(UInt32.max) }),
      expected == bytes.count
    else {
      throw DataError.invalid(
        "dimensions \(dimensions) do not match \(bytes.count) bytes for \(path)")
    }
    var data: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
    for d in dimensions {
      let v = UInt32(d)
      data += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }
    data += bytes
    guard let file = gzopen(path, gzip ? "wb" : "wbT") else {
      throw DataError.unreadable(path: path, reason: "cannot open for writing")
    }
    var offset = 0
    while offset < data.count {
      let chunk = min(data.count - offset, 1 << 30)
      let written = data.withUnsafeBytes { gzwrite(file, $0.baseAddress! + offset, UInt32(chunk)) }
      if written <= 0 {
        gzclose(file)
        throw DataError.unreadable(path: path, reason: "write failed")
      }
      offset += Int(written)
    }
    if gzclose(file) != Z_OK { throw DataError.unreadable(path: path, reason: "close failed") }
  }

  /// What an IDX file is expected to hold: its magic number and how large it may be.
  ///
  /// The limits are those of a data set of this kind (Fashion-MNIST is 60,000 images of 28×28),
  /// with room to spare, so that a header cannot make the loader reserve gigabytes.
  struct Kind: Sendable {
    /// The expected magic number (0x0800 | rank), nil for any unsigned-byte IDX file.
    let magic: UInt32?
    /// The most examples (the first dimension).
    let maxCount: Int
    /// The most bytes per example (the product of the other dimensions).
    let maxItemBytes: Int
    /// The most bytes in all.
    let maxTotal: Int

    /// An images file: N × rows × cols, at most 250,000 images of at most 128×128 pixels and
    /// 256 MiB in all (five times Fashion-MNIST's training set).
    static let images = Kind(magic: 0x803, maxCount: 250_000, maxItemBytes: 128 * 128, maxTotal: 256 << 20)
    /// A labels file: N labels, at most 250,000.
    static let labels = Kind(magic: 0x801, maxCount: 250_000, maxItemBytes: 1, maxTotal: 250_000)
    /// Any unsigned-byte IDX file up to 4 GiB (fixtures, tools).
    static let any = Kind(magic: nil, maxCount: Int(UInt32.max), maxItemBytes: 1 << 32, maxTotal: 1 << 32)

    var limitText: String {
      maxItemBytes == 1
        ? "\(maxCount) labels"
        : "\(maxCount) examples of at most \(maxItemBytes) bytes and \(maxTotal >> 20) MiB in all"
    }
  }

  /// Bytes read between two checks of `shouldStop`.
  static let chunkBytes = 1 << 22

  /// Reads the header and data into pinned storage; returns (magic, dimensions, data).
  ///
  /// Only regular files are opened (a FIFO or device is refused before any read, so it cannot
  /// block the kernel). The magic number and the sizes are checked against `kind` before any data
  /// is read, and the data is read in chunks: pages of the storage are touched only as bytes
  /// really arrive, and `shouldStop` is polled between chunks.
  static func readStorage(
    path: String, kind: Kind = .any, shouldStop: () -> Bool = { false }
  ) throws -> (magic: UInt32, dimensions: [Int], data: ByteStorage) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      throw DataError.unreadable(path: path, reason: code == ENOENT ? "no such file" : String(cString: strerror(code)))
    }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      let reason = String(cString: strerror(errno))
      close(fd)
      throw DataError.unreadable(path: path, reason: reason)
    }
    guard st.st_mode & S_IFMT == S_IFREG else {
      close(fd)
      throw DataError.notRegularFile(path: path, kind: fileKind(st.st_mode))
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    guard let file = gzdopen(fd, "rb") else {
      close(fd)
      throw DataError.unreadable(path: path, reason: "cannot start reading")
    }
    defer { gzclose(file) }
    gzbuffer(file, 1 << 17)
    let fileBytes = Int(st.st_size)

    func readExactly(_ buffer: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
      var done = 0
      while done < count {
        if count > chunkBytes && shouldStop() { throw DataError.interrupted(path: path) }
        let chunk = UInt32(min(count - done, chunkBytes))
        let got = gzread(file, buffer + done, chunk)
        if got < 0 {
          var code: Int32 = 0
          let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error"
          if code == Z_BUF_ERROR { return done }  // stream ended early: truncated
          throw DataError.corrupt(path: path, reason: message)
        }
        if got == 0 {
          var code: Int32 = 0
          let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
          if code != Z_OK && code != Z_BUF_ERROR {
            throw DataError.corrupt(path: path, reason: message)
          }
          return done
        }
        done += Int(got)
      }
      return done
    }

    var header = [UInt8](repeating: 0, count: 4)
    let headerGot = try header.withUnsafeMutableBytes { try readExactly($0.baseAddress!, 4) }
    guard headerGot == 4 else {
      throw DataError.truncated(path: path, expectedBytes: 4, gotBytes: headerGot)
    }
    let magic = header.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    guard header[0] == 0, header[1] == 0, header[2] == 0x08, header[3] >= 1 else {
      throw DataError.badMagic(path: path, found: magic, expected: kind.magic ?? (0x0800 | UInt32(max(header[3], 1))))
    }
    if let expected = kind.magic, magic != expected {
      throw DataError.badMagic(path: path, found: magic, expected: expected)
    }
    let rank = Int(header[3])
    var dimBytes = [UInt8](repeating: 0, count: 4 * rank)
    let dimGot = try dimBytes.withUnsafeMutableBytes { try readExactly($0.baseAddress!, 4 * rank) }
    guard dimGot == 4 * rank else {
      throw DataError.truncated(path: path, expectedBytes: 4 * rank, gotBytes: dimGot)
    }
    let dimensions = (0..<rank).map { i in dimBytes[4 * i..<4 * i + 4].reduce(0) { $0 << 8 | Int($1) } }
    var item = 1
    for d in dimensions.dropFirst() {
      let (product, overflow) = item.multipliedReportingOverflow(by: d)
      guard !overflow, product <= kind.maxItemBytes else {
        throw DataError.tooLarge(path: path, dimensions: dimensions, limit: kind.limitText)
      }
      item = product
    }
    let count = dimensions[0]
    guard count <= kind.maxCount, count * item <= kind.maxTotal else {
      throw DataError.tooLarge(path: path, dimensions: dimensions, limit: kind.limitText)
    }
    let total = count * item
    let headerBytes = 4 + 4 * rank
    if gzdirect(file) == 1 {
      // An uncompressed file's size is known: a header that lies is caught before any data is read.
      if fileBytes - headerBytes < total {
        throw DataError.truncated(path: path, expectedBytes: total, gotBytes: max(0, fileBytes - headerBytes))
      }
      if fileBytes - headerBytes > total { throw DataError.trailingData(path: path, expectedBytes: total) }
    }
    let storage = ByteStorage(count: total)
    let got = try readExactly(storage.pointer, total)
    guard got == total else {
      throw DataError.truncated(path: path, expectedBytes: total, gotBytes: got)
    }
    var extra: UInt8 = 0
    if try readExactly(&extra, 1) != 0 {
      throw DataError.trailingData(path: path, expectedBytes: total)
    }
    return (magic, dimensions, storage)
  }

  /// A file type in words, for refusals.
  static func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: return "directory"
    case S_IFCHR: return "character device"
    case S_IFBLK: return "block device"
    case S_IFIFO: return "FIFO (named pipe)"
    case S_IFSOCK: return "socket"
    case S_IFLNK: return "symbolic link"
    default: return "special file"
    }
  }
}
