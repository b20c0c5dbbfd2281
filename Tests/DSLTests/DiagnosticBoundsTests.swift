import Foundation
import Testing

@testable import DSL

/// Diagnostics stay small whatever the cell: a window of a long line, at most N per cell.
@Suite struct DiagnosticBoundsTests {
  private func run(_ cell: String) -> CellError? {
    let session = Session(environment: [:])
    return session.execute(cell, emit: { _ in }, progress: { _ in }, shouldStop: { false }).error
  }

  @Test func longModelSpecLineIsClipped() throws {
    let cell = "model 784-" + String(repeating: "relu-", count: 3000) + "10"
    let error = try #require(run(cell))
    let bytes = error.traceback.reduce(0) { $0 + $1.utf8.count } + error.evalue.utf8.count
    #expect(error.traceback.count <= DiagnosticRenderer.maxPerCell + 1)
    #expect(bytes < 64 * 1024, "the whole error is \(bytes) bytes")
    for entry in error.traceback {
      #expect(entry.utf8.count < 4 * 1024, "one diagnostic is \(entry.utf8.count) bytes")
    }
  }

  @Test func manyErrorsAreCountedNotListed() throws {
    let cell = "print " + Array(repeating: "a.b", count: 20_000).joined(separator: " ")
    let error = try #require(run(cell))
    #expect(error.traceback.count == DiagnosticRenderer.maxPerCell + 1)
    let last = try #require(error.traceback.last)
    #expect(last.hasPrefix("<cell>: and ") && last.contains("more errors not shown"), "\(last)")
    let bytes = error.traceback.reduce(0) { $0 + $1.utf8.count }
    #expect(bytes < 64 * 1024, "the whole error is \(bytes) bytes")
  }

  @Test func caretStaysUnderItsTokenInAClippedLine() throws {
    let line = String(repeating: "x", count: 500) + " BAD " + String(repeating: "y", count: 500)
    let start = SourceLocation(line: 1, column: 502, offset: 501)
    let end = SourceLocation(line: 1, column: 505, offset: 504)
    let text = DiagnosticRenderer.render(
      Diagnostic(message: "m", range: SourceRange(start: start, end: end)), file: "f", source: line)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.count == 3)
    #expect(lines[1].hasPrefix("…") && lines[1].hasSuffix("…"))
    #expect(lines[1].count <= DiagnosticRenderer.maxQuotedLine + 2)
    let quoted = Array(lines[1])
    let caret = Array(lines[2])
    let at = try #require(caret.firstIndex(of: "^"))
    #expect(String(quoted[at..<at + 3]) == "BAD")
    #expect(caret.count == at + 3)
  }

  @Test func shortLinesAreUnchanged() {
    let line = String(repeating: "z", count: DiagnosticRenderer.maxQuotedLine)
    let range = SourceRange(
      start: SourceLocation(line: 1, column: 3, offset: 2), end: SourceLocation(line: 1, column: 5, offset: 4))
    let text = DiagnosticRenderer.render(Diagnostic(message: "m", range: range), file: "f", source: line)
    #expect(text == "f:1:3: error: m\n\(line)\n  ^~")
  }
}
