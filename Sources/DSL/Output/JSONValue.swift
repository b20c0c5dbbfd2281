/// A JSON value as the renderer builds it, handed to hosts as a value (a Jupyter host converts
/// it to its message JSON without parsing text). Numbers keep their literal, objects their key
/// order, so `text` is the exact compact JSON the renderer means.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// A number as its JSON literal: `32`, `16.1234`, `1e-05`.
  case number(String)
  case string(String)
  case array([JSONValue])
  case object([JSONMember])

  /// An integer.
  static func integer(_ n: Int) -> JSONValue { .number(String(n)) }

  /// A number in its shortest round-trip form (`2`, `0.1`); NaN and ±Inf, which JSON cannot
  /// carry, become `null`.
  static func double(_ x: Double) -> JSONValue { x.isFinite ? .number(NumberFormatting.roundTrip(x)) : .null }

  /// A string, or `null`.
  static func optionalString(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

  /// An object from its members in order.
  static func keyed(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
    .object(members.map { JSONMember(key: $0.key, value: $0.value) })
  }

  /// Compact JSON text (no spaces), members in order.
  public var text: String {
    var out = ""
    write(to: &out)
    return out
  }

  private func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let literal): out += literal
    case .string(let s): out += TextEscaping.json(s)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(to: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, member) in members.enumerated() {
        if i > 0 { out += "," }
        out += TextEscaping.json(member.key) + ":"
        member.value.write(to: &out)
      }
      out += "}"
    }
  }
}

/// One member of a JSON object.
public struct JSONMember: Sendable, Equatable {
  /// The key.
  public var key: String
  /// The value.
  public var value: JSONValue
}
