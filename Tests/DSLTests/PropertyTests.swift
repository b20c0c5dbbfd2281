import Testing

@testable import DSL

/// A small seeded generator (SplitMix64) so every run sees the same inputs.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Valid programs the mutations start from.
let seedPrograms: [String] =
  commandCases.map(\.source) + goldenCases.map(\.source) + [
    """
    load fashion
    model 784-128-relu-10
    set epochs=10 seed=0 device=auto
    train batch=32 lr=1e-3 opt=adam as baseline
    sweep batch=16,64 as bs
    train lr=0.01 as lr_high
    train opt=sgd as sgd
    compare; plot test_acc
    train zero_grad=off as no_zero_grad
    plot grad_sq layer=1 per=step
    print "done ✓" baseline.test_acc
    report file="r.md"
    """,
    "# %% P1\nload fashion dir=\"/tmp/é\" train=100\n# %% P2 δ²\nmodel 784-256-tanh-128-sigmoid-10 # note",
  ]

/// Tokens and fragments the mutations insert.
let vocabulary: [String] = [
  "train", "sweep", "plot", "set", "as", "=", ",", ";", "\n", "#", "\"", "\\", "\\\n", "# %%", "batch",
  "lr", "1e-3", "-1", ".5", "1_000", "99999999999999999999", "784-128-relu-10", "relu", "--", "é",
  "e\u{301}", "日本", "🎉", "\u{200B}", "\r\n", "\r", "\t", "baseline.test_acc", ".", "x.", "\"\\u{", "\\u{1F600}",
  "\u{FEFF}", "\0", "opt=adamw", "layer=0", "per=step", "help", "model", "---", ",,", "==",
]

/// Splits text into rough tokens (space-separated pieces and separators) for mutation.
func roughTokens(_ text: String) -> [String] {
  var out: [String] = []
  var current = ""
  for c in text {
    if c == " " || c == "\n" || c == ";" || c == "=" || c == "," {
      if !current.isEmpty { out.append(current) }
      out.append(String(c))
      current = ""
    } else {
      current.append(c)
    }
  }
  if !current.isEmpty { out.append(current) }
  return out
}

/// Produces the i-th input: mutated programs, random bytes, long lines, long lists, odd nesting.
/// Long and odd inputs are 2 in 50 (they dominate the run time); the rest are mutations and
/// random bytes.
func generatedInput(_ i: Int, _ rng: inout SeededGenerator) -> String {
  let kind = i % 50 == 0 ? 8 : i % 50 == 1 ? 9 : i % 8
  switch kind {
  case 0...5:
    var tokens = roughTokens(seedPrograms.randomElement(using: &rng) ?? "")
    let edits = Int.random(in: 1...4, using: &rng)
    for _ in 0..<edits where !tokens.isEmpty {
      let k = Int.random(in: 0..<tokens.count, using: &rng)
      switch Int.random(in: 0..<5, using: &rng) {
      case 0: tokens.remove(at: k)
      case 1: tokens.insert(tokens[k], at: k)
      case 2:
        let j = Int.random(in: 0..<tokens.count, using: &rng)
        tokens.swapAt(k, j)
      case 3: tokens.insert(vocabulary.randomElement(using: &rng) ?? "", at: k)
      default:
        var chars = Array(tokens[k])
        if !chars.isEmpty { chars.remove(at: Int.random(in: 0..<chars.count, using: &rng)) }
        tokens[k] = String(chars)
      }
    }
    return tokens.joined()
  case 6:
    let count = Int.random(in: 0...200, using: &rng)
    let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    return String(decoding: bytes, as: UTF8.self)
  case 7:
    let count = Int.random(in: 0...60, using: &rng)
    let alphabet: [UInt8] = [
      UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "\n"),
      UInt8(ascii: "#"), UInt8(ascii: ";"), UInt8(ascii: "a"), UInt8(ascii: "1"), UInt8(ascii: "."),
      UInt8(ascii: "-"), UInt8(ascii: " "), 0xC3, 0xA9, 0xE2, 0x80, 0xCC, 0x81, 0xFF,
    ]
    let bytes = (0..<count).map { _ in alphabet.randomElement(using: &rng) ?? 0 }
    return String(decoding: bytes, as: UTF8.self)
  case 8:
    switch Int.random(in: 0..<5, using: &rng) {
    case 0: return "sweep batch=" + (1...Int.random(in: 2...1500, using: &rng)).map(String.init).joined(separator: ",")
    case 1: return "print " + String(repeating: "\"é🎉\" x.y ", count: Int.random(in: 1...500, using: &rng))
    case 2: return String(repeating: "a", count: Int.random(in: 1...50_000, using: &rng))
    case 3:
      return "model "
        + (0..<Int.random(in: 1...500, using: &rng)).map { $0 % 2 == 0 ? "8" : "relu" }.joined(separator: "-")
    default: return String(repeating: "train lr=", count: Int.random(in: 1...1500, using: &rng))
    }
  default:
    let piece =
      ["\"", "\\", "# %%\n", ";", "\n", "=", ",", "as ", "(", "[[", "\u{301}", "\r"].randomElement(using: &rng) ?? ""
    return String(repeating: piece, count: Int.random(in: 1...3000, using: &rng))
  }
}

/// Checks a location against an independent computation from the text's bytes.
struct LocationOracle {
  let bytes: [UInt8]
  var lineEnds: [Int: [Int]] = [:]

  let lineStarts: [Int]

  init(_ text: String) {
    let all = Array(text.utf8)
    bytes = all
    lineStarts = [0] + all.indices.filter { all[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
  }

  /// Whether `loc` has a valid offset and the line and column that offset implies.
  mutating func isConsistent(_ loc: DSL.SourceLocation, firstLine: Int) -> Bool {
    guard loc.offset >= 0, loc.offset <= bytes.count else { return false }
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= loc.offset { lo = mid } else { hi = mid - 1 }
    }
    let lineIndex = lo
    let lineStart = lineStarts[lineIndex]
    let line = firstLine + lineIndex
    guard line == loc.line else { return false }
    let ends: [Int]
    if let cached = lineEnds[lineStart] {
      ends = cached
    } else {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      var position = 0
      var list: [Int] = []
      for c in String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self) {
        position += c.utf8.count
        list.append(position)
      }
      lineEnds[lineStart] = list
      ends = list
    }
    let relative = loc.offset - lineStart
    // Column = 1 + Characters that end at or before the offset.
    var low = 0
    var high = ends.count
    while low < high {
      let mid = (low + high) / 2
      if ends[mid] <= relative { low = mid + 1 } else { high = mid }
    }
    return loc.column == low + 1
  }
}

@Test func randomAndMutatedInputsNeverCrashAndKeepRangesValid() {
  var rng = SeededGenerator(seed: 0x5EED_2026)
  var checked = 0
  var withErrors = 0
  for i in 0..<10_500 {
    let text = generatedInput(i, &rng)
    let firstLine = Int.random(in: 1...50, using: &rng)
    let result = Frontend.check(text, context: CheckContext(knownRuns: ["baseline"]), firstLine: firstLine)
    #expect(result.hasErrors == result.diagnostics.contains { $0.severity == .error })
    let statements = Frontend.syntaxDiagnostics(text).statements.count
    if result.diagnostics.isEmpty {
      #expect(result.commands.count == statements, "input \(i)")
    } else {
      withErrors += 1
    }
    var oracle = LocationOracle(text)
    let ranges = result.diagnostics.map(\.range) + result.commands.map(\.range)
    for range in ranges.prefix(200) {
      let ordered =
        range.start.offset <= range.end.offset
        && (range.start.line, range.start.column) <= (range.end.line, range.end.column)
      #expect(ordered, "input \(i): \(range)")
      let startOK = oracle.isConsistent(range.start, firstLine: firstLine)
      let endOK = oracle.isConsistent(range.end, firstLine: firstLine)
      #expect(startOK, "input \(i) start \(range.start)")
      #expect(endOK, "input \(i) end \(range.end)")
    }
    if let d = result.diagnostics.first {
      let rendered = DiagnosticRenderer.render(
        d, file: "f", source: String(repeating: "\n", count: firstLine - 1) + text)
      #expect(rendered.hasPrefix("f:\(d.range.start.line):\(d.range.start.column): error: "))
    }
    let scalarCount = text.unicodeScalars.count
    let cursor = Int.random(in: 0...scalarCount, using: &rng)
    let completion = Completer.complete(text, cursor: cursor, runs: ["baseline"])
    #expect(completion.start <= completion.end && completion.end <= scalarCount)
    _ = Inspector.inspect(text, cursor: cursor)
    _ = CompletenessChecker.status(text)
    _ = ScriptSplitter.cells(text)
    checked += 1
  }
  #expect(checked >= 10_000)
  #expect(withErrors > 1000)
}
