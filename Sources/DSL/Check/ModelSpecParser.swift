/// Parses model specs such as `784-128-relu-10` into widths and activations.
enum ModelSpecParser {
  /// The activations a spec may name.
  static let activations = ["relu", "tanh", "sigmoid"]
  /// The widest layer allowed.
  static let maxWidth = 65536
  /// The most Linear layers allowed.
  static let maxLayers = 32

  /// One problem, at UTF-8 offsets `from..<to` inside the spec text.
  struct Problem: Equatable {
    var message: String
    var hint: String?
    var from: Int
    var to: Int
  }

  /// The problems of a spec (an Error so that parse can return a Result).
  struct Problems: Error, Equatable {
    var list: [Problem]
  }

  private enum Part {
    case width(Int)
    case activation(String)
  }

  /// The spec, or every independent problem: empty parts, bad widths and unknown activations
  /// first; then the order rules (start and end with a width, no two activations in a row);
  /// then the counts (at least 2 widths, at most 32 Linear layers).
  static func parse(_ text: String) -> Result<ModelSpecSyntax, Problems> {
    let bytes = Array(text.utf8)
    var pieces: [(text: String, from: Int, to: Int)] = []
    var start = 0
    for (i, b) in bytes.enumerated() where b == UInt8(ascii: "-") {
      pieces.append((String(decoding: bytes[start..<i], as: UTF8.self), start, i))
      start = i + 1
    }
    pieces.append((String(decoding: bytes[start...], as: UTF8.self), start, bytes.count))

    var problems: [Problem] = []
    var parts: [(Part, Int)] = []
    for (index, piece) in pieces.enumerated() {
      if piece.text.isEmpty {
        let dash = piece.from > 0 ? piece.from - 1 : piece.from
        problems.append(
          Problem(
            message: "empty part in model spec '\(text)'",
            hint: "write widths and activations separated by single '-', e.g. 784-128-relu-10",
            from: dash, to: min(dash + 1, bytes.count)))
      } else if piece.text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
        if let w = Int(piece.text), (1...maxWidth).contains(w) {
          parts.append((.width(w), index))
        } else {
          problems.append(
            Problem(
              message: "layer width \(piece.text) is out of range 1...\(maxWidth)", hint: nil,
              from: piece.from, to: piece.to))
        }
      } else if activations.contains(piece.text) {
        parts.append((.activation(piece.text), index))
      } else {
        problems.append(
          Problem(
            message: "unknown activation '\(piece.text)' in model spec",
            hint: EditDistance.hint(for: piece.text, among: activations) ?? "activations: relu, tanh, sigmoid",
            from: piece.from, to: piece.to))
      }
    }
    guard problems.isEmpty else { return .failure(Problems(list: problems)) }

    var widths: [Int] = []
    var acts: [String?] = []
    var previousWasActivation = false
    for (part, index) in parts {
      let piece = pieces[index]
      switch part {
      case .width(let w):
        widths.append(w)
        acts.append(nil)
        previousWasActivation = false
      case .activation(let a):
        if widths.isEmpty {
          problems.append(
            Problem(
              message: "a model spec must start with a width, found '\(a)'", hint: "e.g. 784-128-relu-10",
              from: piece.from, to: piece.to))
        } else if previousWasActivation {
          problems.append(
            Problem(
              message: "two activations in a row: '\(pieces[index - 1].text)-\(a)'",
              hint: "put a width between activations", from: piece.from, to: piece.to))
        } else {
          acts[acts.count - 1] = a
        }
        previousWasActivation = true
      }
    }
    if problems.isEmpty, let (last, index) = parts.last, case .activation(let a) = last {
      let piece = pieces[index]
      problems.append(
        Problem(
          message: "a model spec must end with a width, found '\(a)'", hint: "add the output width, e.g. \(text)-10",
          from: piece.from, to: piece.to))
    }
    if problems.isEmpty, widths.count < 2 {
      problems.append(
        Problem(
          message: "a model needs at least 2 widths (inputs and outputs), found \(widths.count)",
          hint: "e.g. 784-10", from: 0, to: bytes.count))
    }
    if problems.isEmpty, widths.count - 1 > maxLayers {
      problems.append(
        Problem(
          message: "a model has at most \(maxLayers) Linear layers, found \(widths.count - 1)", hint: nil,
          from: 0, to: bytes.count))
    }
    guard problems.isEmpty else { return .failure(Problems(list: problems)) }
    return .success(ModelSpecSyntax(widths: widths, activations: acts, text: text))
  }
}
