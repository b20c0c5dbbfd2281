import Foundation
import Testing

@testable import DSL

/// docs/language.md, read relative to this file.
func languageDoc() throws -> String {
  let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("docs/language.md")
  return try String(contentsOf: docs, encoding: .utf8)
}

@Test func languageDocMentionsEveryCatalogEntry() throws {
  let doc = try languageDoc()
  for statement in HelpCatalog.statements {
    #expect(doc.contains("### `\(statement.name)`"), "statement \(statement.name)")
    #expect(doc.contains(statement.syntax), "syntax of \(statement.name)")
    for param in statement.namedParams where !["set", "train", "sweep"].contains(statement.name) {
      #expect(doc.contains("`\(param.name)=`"), "parameter \(statement.name) \(param.name)")
    }
    for example in statement.examples { #expect(doc.contains(example), "example \(example)") }
  }
  for param in HelpCatalog.trainingParams {
    #expect(
      doc.contains("| `\(param.name)` | \(param.type.replacingOccurrences(of: "|", with: "\\|"))"),
      "training parameter \(param.name)")
  }
  for metric in Metric.allCases { #expect(doc.contains("| `\(metric.rawValue)` |"), "metric \(metric.rawValue)") }
  for field in RunField.allCases { #expect(doc.contains("| `\(field.rawValue)` |"), "field \(field.rawValue)") }
  #expect(doc.contains("# %%"))
}

/// Every fenced example in the doc that is a whole program checks cleanly.
@Test func languageDocStudyChecks() throws {
  let doc = try languageDoc()
  let blocks = doc.components(separatedBy: "```\n").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
  let study = try #require(blocks.first { $0.hasPrefix("load fashion\nmodel") })
  let result = Frontend.check(study, context: CheckContext())
  #expect(result.diagnostics == [])
  #expect(result.commands.count == 13)
}
