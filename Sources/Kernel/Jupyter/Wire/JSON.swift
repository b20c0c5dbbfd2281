/// A JSON value: what travels in the four JSON frames of a Jupyter message.
///
/// Numbers keep the integer/float distinction so `execution_count` goes out as `3`, not `3.0`.
/// Objects serialise with sorted keys, which keeps outgoing frames deterministic.
enum JSON: Equatable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSON])
  case object([String: JSON])

  /// The value for `key` when this is an object, else nil.
  subscript(key: String) -> JSON? {
    if case .object(let members) = self { return members[key] }
    return nil
  }

  var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// Integers, and floats with an integral value (some clients send `5.0`).
  var intValue: Int? {
    switch self {
    case .int(let i): return i
    case .double(let d) where d.rounded() == d && abs(d) < 9e15: return Int(d)
    default: return nil
    }
  }

  var objectValue: [String: JSON]? {
    if case .object(let o) = self { return o }
    return nil
  }

  var arrayValue: [JSON]? {
    if case .array(let a) = self { return a }
    return nil
  }
}

// MARK: - Literals

extension JSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral,
  ExpressibleByFloatLiteral
{
  init(stringLiteral value: String) { self = .string(value) }
  init(integerLiteral value: Int) { self = .int(value) }
  init(floatLiteral value: Double) { self = .double(value) }
  init(booleanLiteral value: Bool) { self = .bool(value) }
  init(arrayLiteral elements: JSON...) { self = .array(elements) }
  init(nilLiteral: ()) { self = .null }
  init(dictionaryLiteral elements: (String, JSON)...) {
    var members: [String: JSON] = [:]
    for (k, v) in elements { members[k] = v }
    self = .object(members)
  }
}

// MARK: - Serialisation

extension JSON {
  /// Compact UTF-8 JSON text.
  func serialized() -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(128)
    write(to: &out)
    return out
  }

  /// Compact JSON text as a String.
  var text: String { String(decoding: serialized(), as: UTF8.self) }

  private func write(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: Array("null".utf8))
    case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
    case .int(let i): out.append(contentsOf: Array(String(i).utf8))
    case .double(let d):
      if d.isFinite {
        if d.rounded() == d && abs(d) < 1e15 {
          out.append(contentsOf: Array(String(Int(d)).utf8))
          out.append(contentsOf: Array(".0".utf8))
        } else {
          out.append(contentsOf: Array(String(d).utf8))
        }
      } else {
        out.append(contentsOf: Array("null".utf8))
      }
    case .string(let s): JSON.writeString(s, to: &out)
    case .array(let items):
      out.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        item.write(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (i, key) in members.keys.sorted().enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        JSON.writeString(key, to: &out)
        out.append(UInt8(ascii: ":"))
        members[key]?.write(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  private static func writeString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
      case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
      case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
      case 0x00..<0x20, 0x7F:
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0xF)])
      default: out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}

// MARK: - Parsing

/// Why a frame is not valid JSON, with the byte offset where parsing stopped.
enum JSONParseError: Error, Equatable, CustomStringConvertible {
  /// The text ended inside a value.
  case unexpectedEnd
  /// A byte that cannot start or continue a value here.
  case unexpectedByte(UInt8, offset: Int)
  /// A well-formed value followed by more non-space text.
  case trailingText(offset: Int)
  /// Bytes that are not UTF-8 inside a string.
  case invalidUTF8(offset: Int)
  /// Arrays/objects nested deeper than the parser allows.
  case tooDeep

  var description: String {
    switch self {
    case .unexpectedEnd: return "unexpected end of JSON text"
    case .unexpectedByte(let b, let offset): return "unexpected byte 0x\(String(b, radix: 16)) at \(offset)"
    case .trailingText(let offset): return "trailing text at \(offset)"
    case .invalidUTF8(let offset): return "invalid UTF-8 in string at \(offset)"
    case .tooDeep: return "JSON nested too deeply"
    }
  }
}

extension JSON {
  /// Parses one JSON value from UTF-8 bytes (whitespace around it allowed).
  static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSON {
    var parser = JSONParser(bytes: bytes)
    let value = try parser.parseValue(depth: 0)
    parser.skipSpace()
    if parser.index != bytes.count { throw .trailingText(offset: parser.index) }
    return value
  }

  /// Parses JSON text.
  static func parse(_ text: String) throws(JSONParseError) -> JSON {
    try parse(Array(text.utf8))
  }
}

private struct JSONParser {
  let bytes: [UInt8]
  var index = 0
  static let maxDepth = 512

  init(bytes: [UInt8]) { self.bytes = bytes }

  mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
    if depth > JSONParser.maxDepth { throw .tooDeep }
    skipSpace()
    guard index < bytes.count else { throw .unexpectedEnd }
    let b = bytes[index]
    switch b {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try expectWord("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectWord("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectWord("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw .unexpectedByte(b, offset: index)
    }
  }

  mutating func expectWord(_ word: String) throws(JSONParseError) {
    for c in word.utf8 {
      guard index < bytes.count else { throw .unexpectedEnd }
      guard bytes[index] == c else { throw .unexpectedByte(bytes[index], offset: index) }
      index += 1
    }
  }

  mutating func parseObject(depth: Int) throws(JSONParseError) -> JSON {
    index += 1
    var members: [String: JSON] = [:]
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard index < bytes.count else { throw .unexpectedEnd }
      guard bytes[index] == UInt8(ascii: "\"") else { throw .unexpectedByte(bytes[index], offset: index) }
      let key = try parseString()
      skipSpace()
      guard index < bytes.count else { throw .unexpectedEnd }
      guard bytes[index] == UInt8(ascii: ":") else { throw .unexpectedByte(bytes[index], offset: index) }
      index += 1
      members[key] = try parseValue(depth: depth + 1)
      if try !continues(closingWith: UInt8(ascii: "}")) { return .object(members) }
    }
  }

  mutating func parseArray(depth: Int) throws(JSONParseError) -> JSON {
    index += 1
    var items: [JSON] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(items)
    }
    while true {
      items.append(try parseValue(depth: depth + 1))
      if try !continues(closingWith: UInt8(ascii: "]")) { return .array(items) }
    }
  }

  /// After an object member or array item: consumes `,` (true: another follows) or `close` (false: the
  /// container ends); anything else is an error.
  mutating func continues(closingWith close: UInt8) throws(JSONParseError) -> Bool {
    skipSpace()
    guard index < bytes.count else { throw .unexpectedEnd }
    let byte = bytes[index]
    guard byte == UInt8(ascii: ",") || byte == close else { throw .unexpectedByte(byte, offset: index) }
    index += 1
    return byte == UInt8(ascii: ",")
  }

  mutating func parseHex4() throws(JSONParseError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw .unexpectedEnd }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[index]
      let d: UInt32
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
      default: throw .unexpectedByte(c, offset: index)
      }
      v = v << 4 | d
      index += 1
    }
    return v
  }

  mutating func parseString() throws(JSONParseError) -> String {
    let start = index
    index += 1
    var out: [UInt8] = []
    while true {
      guard index < bytes.count else { throw .unexpectedEnd }
      let c = bytes[index]
      if c == UInt8(ascii: "\"") {
        index += 1
        break
      }
      if c < 0x20 { throw .unexpectedByte(c, offset: index) }
      if c != UInt8(ascii: "\\") {
        out.append(c)
        index += 1
        continue
      }
      index += 1
      guard index < bytes.count else { throw .unexpectedEnd }
      let e = bytes[index]
      index += 1
      switch e {
      case UInt8(ascii: "\""): out.append(0x22)
      case UInt8(ascii: "\\"): out.append(0x5C)
      case UInt8(ascii: "/"): out.append(0x2F)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try parseHex4()
        if (0xD800..<0xDC00).contains(scalar), index + 6 <= bytes.count,
          bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
        {
          let save = index
          index += 2
          let low = try parseHex4()
          if (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else {
            index = save
          }
        }
        let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(Character(u)).utf8))
      default: throw .unexpectedByte(e, offset: index - 1)
      }
    }
    guard let s = String(validating: out, as: UTF8.self) else { throw .invalidUTF8(offset: start) }
    return s
  }

  mutating func parseNumber() throws(JSONParseError) -> JSON {
    let start = index
    var isFloat = false
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    var digits = 0
    while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
      index += 1
      digits += 1
    }
    if digits == 0 {
      guard index < bytes.count else { throw .unexpectedEnd }
      throw .unexpectedByte(bytes[index], offset: index)
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      isFloat = true
      index += 1
      while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      isFloat = true
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
        index += 1
      }
      while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
    }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    if !isFloat, let i = Int(text) { return .int(i) }
    guard let d = Double(text) else { throw .unexpectedByte(bytes[start], offset: start) }
    return .double(d)
  }
}
