import Foundation
import Testing

@testable import DSL

@Suite("OutputScriptWriter")
struct OutputScriptWriterTests {
  @Test func writesNumberedFilesInOrder() throws {
    let dir = try OutputTestTools.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("nested/out").path
    let writer = try ScriptOutputWriter(directory: out)
    var paths: [String] = []
    paths += try writer.write(.text("ignored"), cellIndex: 1)
    paths += try writer.write(.chart(OutputFixtures.epochChart), cellIndex: 1)
    paths += try writer.write(.table(OutputFixtures.compareTable), cellIndex: 2)
    paths += try writer.write(.value(.table(Table(columns: [.init("a")]))), cellIndex: 3)
    paths += try writer.write(.chart(OutputFixtures.barChart), cellIndex: 4)
    let names = paths.map { URL(fileURLWithPath: $0).lastPathComponent }
    #expect(
      names == [
        "01-test-acc-per-epoch.svg", "02-compare-6-runs-vs-baseline.csv", "03-cell3-table.csv",
        "04-training-time-vs-total-time.svg",
      ])
    let svg = try String(contentsOfFile: paths[0], encoding: .utf8)
    #expect(svg == Renderer.svg(OutputFixtures.epochChart))
  }

  @Test(arguments: [
    ("test_acc per epoch", "test-acc-per-epoch"), ("<b>&\"x\"", "b-x"), ("δ² layer=1", "layer-1"),
    ("日本", "fallback"),
    (String(repeating: "ab ", count: 40), String(String(repeating: "ab-", count: 16).dropLast())),
  ])
  func slugs(_ title: String, _ expected: String) {
    let slug = ScriptOutputWriter.slug(title, fallback: "fallback")
    #expect(slug == expected)
    #expect(slug.count <= 48)
  }

  @Test func unwritableDirectoryIsATypedError() throws {
    let dir = try OutputTestTools.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("file")
    try Data("x".utf8).write(to: file)
    #expect(throws: OutputError.self) { try ScriptOutputWriter(directory: file.path + "/sub") }
  }
}
