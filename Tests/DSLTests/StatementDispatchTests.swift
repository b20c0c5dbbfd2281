import Testing

@testable import DSL

/// Every statement of the catalog reaches a check function: the catalog and `StatementKind` name
/// the same statements, and each statement's first example becomes a command.
@Suite struct StatementDispatchTests {
  /// Runs and plots the examples refer to (those that create runs start from none).
  static func context(for statement: StatementHelp) -> CheckContext {
    let runs =
      ["train", "sweep"].contains(statement.name) ? [] : ["baseline", "sgd", "lr_high", "bs_batch16", "bs_batch64"]
    return CheckContext(knownRuns: runs, knownPlots: ["acc", nil, nil])
  }

  @Test(arguments: HelpCatalog.statements.map(\.name))
  func everyCatalogStatementHasAKind(_ name: String) {
    #expect(StatementKind(rawValue: name) != nil, "'\(name)' is in HelpCatalog but not in StatementKind")
  }

  @Test(arguments: StatementKind.allCases)
  func everyKindHasACatalogEntry(_ kind: StatementKind) {
    #expect(HelpCatalog.statement(named: kind.rawValue) != nil, "'\(kind.rawValue)' has no HelpCatalog entry")
  }

  @Test(arguments: HelpCatalog.statements)
  func firstExampleChecksIntoACommand(_ statement: StatementHelp) throws {
    let example = try #require(statement.examples.first, "'\(statement.name)' has no example")
    let result = Frontend.check(example, context: Self.context(for: statement))
    #expect(!result.hasErrors, "'\(example)': \(result.diagnostics.map(\.message))")
    #expect(result.commands.count == 1, "'\(example)' was dropped: no command")
  }

  @Test func exitAndQuitAreOneCommand() {
    for keyword in ["exit", "quit"] {
      #expect(Frontend.check(keyword, context: CheckContext()).commands.map(\.command) == [.exit])
    }
  }
}
