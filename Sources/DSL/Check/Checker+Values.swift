/// Plain values: one item of a list, integers, numbers, choices and booleans, each with its message.
extension Checker {
  /// The single item of a value, or an error when a list was written.
  mutating func single(_ value: ValueSyntax, _ what: String, listHint: String? = nil) -> ScalarSyntax? {
    if value.isList {
      error("\(what) takes one value, not a list", value.range, hint: listHint)
      return nil
    }
    return value.items[0]
  }

  mutating func integer(_ s: ScalarSyntax, _ name: String, _ range: ClosedRange<Int>, shown: String) -> Int? {
    guard case .number(let n) = s.kind else {
      error(
        "'\(name)' expects an integer, found '\(s.text)'", s.range,
        hint: dotHint(s) ?? "e.g. \(name)=\(range.lowerBound)")
      return nil
    }
    guard n.isInteger else {
      error("'\(name)' expects an integer, found '\(n.text)'", s.range)
      return nil
    }
    guard let v = n.intValue, range.contains(v) else {
      error("'\(name)' must be in \(shown), found \(n.text)", s.range)
      return nil
    }
    return v
  }

  mutating func number(_ s: ScalarSyntax, _ name: String, valid: (Double) -> Bool, shown: String) -> Double? {
    guard case .number(let n) = s.kind else {
      error("'\(name)' expects a number, found '\(s.text)'", s.range, hint: dotHint(s))
      return nil
    }
    guard n.doubleValue.isFinite, valid(n.doubleValue) else {
      error("'\(name)' must be \(shown), found \(n.text)", s.range)
      return nil
    }
    return n.doubleValue
  }

  /// `write 0.5` for `.5`-style literals.
  private func dotHint(_ s: ScalarSyntax) -> String? {
    guard case .word(let w) = s.kind else { return nil }
    let negative = w.hasPrefix("-")
    let body = negative ? String(w.dropFirst()) : w
    guard body.hasPrefix("."), NumberLiteral.parse("0" + body) != nil else { return nil }
    return "write \(negative ? "-" : "")0\(body): a number needs a digit before '.'"
  }

  /// A value of an enumeration, accepted in any letter case (`opt=SGD`); `synonyms` only hint.
  mutating func choice<E: RawRepresentable & CaseIterable>(
    _ s: ScalarSyntax, _ name: String, _: E.Type, synonyms: [String: E] = [:]
  ) -> E?
  where E.RawValue == String {
    let text = s.stringValue
    if let v = E(rawValue: text) ?? E(rawValue: text.lowercased()) { return v }
    let names = E.allCases.map(\.rawValue)
    let suggestion =
      synonyms[text.lowercased()].map { "did you mean '\($0.rawValue)'?" }
      ?? EditDistance.hint(for: text, among: names)
    error(
      "invalid value '\(text)' for '\(name)': expected one of: \(names.joined(separator: ", "))", s.range,
      hint: suggestion)
    return nil
  }

  /// The words of a boolean value and what each means, in the order messages list them.
  static let booleanWords: [(word: String, value: Bool)] = [
    ("on", true), ("off", false), ("true", true), ("false", false),
  ]

  mutating func boolean(_ s: ScalarSyntax, _ name: String) -> Bool? {
    let text = s.stringValue.lowercased()
    if let match = Checker.booleanWords.first(where: { $0.word == text }) { return match.value }
    let words = Checker.booleanWords.map(\.word)
    error(
      "invalid value '\(s.stringValue)' for '\(name)': expected one of: \(words.joined(separator: ", "))", s.range,
      hint: EditDistance.hint(for: s.stringValue, among: words))
    return nil
  }
}
