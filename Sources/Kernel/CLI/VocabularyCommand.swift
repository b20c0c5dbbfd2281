import ArgumentParser
import DSL
import Foundation

/// `kernel vocabulary` (hidden): prints the language's words by role as JSON, the source the
/// companion Python package's highlighter and papermill translator are generated from.
struct VocabularyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vocabulary",
    abstract: "Print the language's statements, parameters and values as JSON (for tools).",
    shouldDisplay: false)

  func run() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    let data = try encoder.encode(LanguageVocabulary.current)
    FileHandle.standardOutput.write(data + Data("\n".utf8))
  }
}
