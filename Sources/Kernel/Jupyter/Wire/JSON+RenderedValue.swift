import DSL

extension JSON {
  /// The message JSON of a value the DSL rendered. A number literal without '.' or an exponent
  /// that fits an Int is an integer, any other a Double, as a JSON reader takes them.
  init(_ value: JSONValue) {
    switch value {
    case .null: self = .null
    case .bool(let b): self = .bool(b)
    case .number(let literal):
      let isFloat = literal.contains { $0 == "." || $0 == "e" || $0 == "E" }
      if !isFloat, let i = Int(literal) {
        self = .int(i)
      } else {
        self = Double(literal).map(JSON.double) ?? .null
      }
    case .string(let s): self = .string(s)
    case .array(let items): self = .array(items.map { JSON($0) })
    case .object(let members):
      var out: [String: JSON] = [:]
      for member in members { out[member.key] = JSON(member.value) }
      self = .object(out)
    }
  }
}
