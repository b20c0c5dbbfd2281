import Testing

@testable import DSL

/// A literal and how it classifies: integer value, double value, or not a number (nil).
struct NumberCase: CustomTestStringConvertible, Sendable {
  var text: String
  var isInteger: Bool?
  var double: Double?
  init(_ text: String, integer: Bool?, _ double: Double?) {
    self.text = text
    self.isInteger = integer
    self.double = double
  }
  var testDescription: String { text }
}

let numberCases: [NumberCase] = [
  NumberCase("32", integer: true, 32),
  NumberCase("1_000", integer: true, 1000),
  NumberCase("-1", integer: true, -1),
  NumberCase("0", integer: true, 0),
  NumberCase("1e-3", integer: false, 0.001),
  NumberCase("1E3", integer: false, 1000),
  NumberCase("1e+3", integer: false, 1000),
  NumberCase("0.001", integer: false, 0.001),
  NumberCase("1_000.5", integer: false, 1000.5),
  NumberCase("-2.5e-1", integer: false, -0.25),
  NumberCase(".5", integer: nil, nil),
  NumberCase("5.", integer: nil, nil),
  NumberCase("1__0", integer: nil, nil),
  NumberCase("1_", integer: nil, nil),
  NumberCase("_1", integer: nil, nil),
  NumberCase("1e", integer: nil, nil),
  NumberCase("1.2.3", integer: nil, nil),
  NumberCase("0x10", integer: nil, nil),
  NumberCase("784-128-relu-10", integer: nil, nil),
  NumberCase("--1", integer: nil, nil),
  NumberCase("+1", integer: nil, nil),
]

@Test(arguments: numberCases)
func numberLiterals(_ c: NumberCase) {
  let n = NumberLiteral.parse(c.text)
  #expect(n?.isInteger == c.isInteger)
  #expect(n?.doubleValue == c.double)
  if c.isInteger == true { #expect(n?.intValue == c.double.map { Int($0) }) }
}

@Test func hugeIntegersHaveNoIntValue() {
  let n = NumberLiteral.parse("99999999999999999999")
  #expect(n?.isInteger == true && n?.intValue == nil)
  #expect(NumberLiteral.parse("1e999")?.doubleValue == .infinity)
}

@Test func lexerTokens() {
  let map = SourceMap(bytes: Array("train batch=16,32 # c\nprint \"a\\\"b\";x".utf8))
  let (tokens, diagnostics) = Lexer.tokenize(map)
  #expect(diagnostics.isEmpty)
  #expect(
    tokens.map(\.kind) == [
      .word, .word, .equals, .word, .comma, .word, .separator, .word, .string, .separator, .word, .end,
    ])
  #expect(tokens[8].text == "a\"b")
  #expect(tokens.map(\.text).prefix(6) == ["train", "batch", "=", "16", ",", "32"])
}

@Test func sourceMapCountsCharacters() {
  let text = "é日🎉x\nab\r\ncd"
  let map = SourceMap(bytes: Array(text.utf8))
  #expect(map.location(0) == SourceLocation(line: 1, column: 1, offset: 0))
  #expect(map.location(2).column == 2)  // after "é" (2 bytes)
  #expect(map.location(5).column == 3)  // after "日" (3 bytes)
  #expect(map.location(9).column == 4)  // after "🎉" (4 bytes)
  #expect(map.location(11) == SourceLocation(line: 2, column: 1, offset: 11))
  #expect(map.location(15) == SourceLocation(line: 3, column: 1, offset: 15))
  #expect(map.location(999).offset == text.utf8.count)
  let shifted = SourceMap(bytes: Array(text.utf8), firstLine: 10)
  #expect(shifted.location(11).line == 11)
}

/// A script and the cells it splits into (title, text, first line).
struct SplitCase: CustomTestStringConvertible, Sendable {
  var source: String
  var cells: [ScriptCell]
  init(_ source: String, _ cells: [ScriptCell]) {
    self.source = source
    self.cells = cells
  }
  var testDescription: String { source }
}

let splitCases: [SplitCase] = [
  SplitCase("load fashion\ntrain", [ScriptCell(title: nil, text: "load fashion\ntrain", firstLine: 1)]),
  SplitCase(
    "# %%\nload fashion\n# %% P1 runs\ntrain\ncompare\n",
    [
      ScriptCell(title: nil, text: "load fashion", firstLine: 2),
      ScriptCell(title: "P1 runs", text: "train\ncompare\n", firstLine: 4),
    ]),
  SplitCase(
    "load fashion\n# %%  spaced title  \r\ntrain",
    [
      ScriptCell(title: nil, text: "load fashion", firstLine: 1),
      ScriptCell(title: "spaced title", text: "train", firstLine: 3),
    ]),
  SplitCase(
    "\n\n# %% A\n# %% B\nrun",
    [ScriptCell(title: "A", text: "", firstLine: 4), ScriptCell(title: "B", text: "run", firstLine: 5)]),
  SplitCase("# %%x\n # %%\ntrain # %%", [ScriptCell(title: nil, text: "# %%x\n # %%\ntrain # %%", firstLine: 1)]),
  SplitCase("", []),
]

@Test(arguments: splitCases)
func scriptSplitting(_ c: SplitCase) {
  #expect(ScriptSplitter.cells(c.source) == c.cells)
}

@Test func cellsCheckedWithTheirFirstLine() {
  let script = "load fashion\n# %% runs\ntrain as a\nshow b\n"
  var known: [String] = []
  var lines: [Int] = []
  for cell in ScriptSplitter.cells(script) {
    let result = Frontend.check(cell.text, context: CheckContext(knownRuns: known), firstLine: cell.firstLine)
    lines += result.diagnostics.map(\.range.start.line)
    for command in result.commands { if case .train(_, let name?, _) = command.command { known.append(name) } }
  }
  #expect(lines == [4])
}

@Test func benchmarkScriptChecksCleanly() {
  let script = Frontend.benchmarkScript(lines: 200)
  let result = Frontend.check(script, context: CheckContext())
  #expect(result.diagnostics.map(\.message) == [])
  #expect(result.commands.count > 200)
}
