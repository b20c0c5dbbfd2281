import Testing

@testable import DSL

@Test func everyStatementHasCompleteHelp() {
  #expect(HelpCatalog.statements.count == 31)
  #expect(Set(HelpCatalog.statements.map(\.name)).count == HelpCatalog.statements.count)
  for s in HelpCatalog.statements {
    #expect(s.syntax.hasPrefix(s.name), "\(s.name)")
    #expect(!s.summary.isEmpty && !s.details.isEmpty && !s.examples.isEmpty, "\(s.name)")
    for example in s.examples {
      // Examples that create runs start from none; the others see a study's runs and plots.
      let runs = ["train", "sweep"].contains(s.name) ? [] : ["baseline", "sgd", "lr_high", "bs_batch16", "bs_batch64"]
      let result = Frontend.check(example, context: CheckContext(knownRuns: runs, knownPlots: ["acc", nil, nil]))
      #expect(result.diagnostics.map(\.message) == [], "example '\(example)'")
    }
    for p in s.params {
      #expect(!p.type.isEmpty && !p.range.isEmpty && !p.meaning.isEmpty && !p.example.isEmpty, "\(s.name) \(p.name)")
    }
    let text = HelpCatalog.text(for: s.name)
    #expect(text?.contains(s.syntax) == true)
  }
}

@Test func everyTopicHasHelp() {
  for topic in HelpCatalog.topics {
    #expect(HelpCatalog.text(for: topic) != nil, "\(topic)")
    #expect(Frontend.check("help \(topic)", context: CheckContext()).diagnostics.isEmpty, "\(topic)")
  }
  #expect(HelpCatalog.text(for: "nonsense") == nil)
  #expect(HelpCatalog.text(for: nil)?.contains("plot METRIC") == true)
  #expect(HelpCatalog.text(for: " Train ")?.contains("train one run") == true)
  #expect(HelpCatalog.text(for: "metrics")?.contains("grad_sq") == true)
  #expect(HelpCatalog.text(for: "fields")?.contains("best_test_acc") == true)
  #expect(HelpCatalog.text(for: "parameters")?.contains("weight_decay=") == true)
  #expect(HelpCatalog.text(for: "syntax")?.contains("# %%") == true)
  let device = HelpCatalog.text(for: "device") ?? ""
  #expect(
    device.contains("device: show the backend") && device.contains("parameter device=")
      && device.contains("run field device"))
}

@Test func catalogMatchesTheEnums() {
  #expect(HelpCatalog.trainingParams.map(\.name) == TrainParam.allCases.map(\.rawValue))
  #expect(HelpCatalog.metrics.map(\.name) == Metric.allCases.map(\.rawValue))
  #expect(HelpCatalog.runFields.map(\.name) == RunField.allCases.map(\.rawValue))
  for m in HelpCatalog.metrics { #expect(!m.summary.isEmpty) }
  for f in HelpCatalog.runFields { #expect(!f.summary.isEmpty) }
  #expect(HelpCatalog.statement(named: "train")?.acceptsName == true)
  #expect(HelpCatalog.statement(named: "sweep")?.acceptsName == true)
  #expect(HelpCatalog.statement(named: "plot")?.acceptsName == true)
  #expect(HelpCatalog.statements.filter(\.acceptsName).count == 3)
}

/// A whole study (batch size, learning rate, optimizer, gradient zeroing, plots, report) checks
/// without errors in one cell.
@Test func fullStudyChecks() {
  let study = """
    load fashion
    model 784-128-relu-10
    set epochs=10 seed=0 device=auto
    train batch=32 lr=1e-3 opt=adam as baseline
    sweep batch=16,64 as bs
    train lr=0.01 as lr_high
    train lr=1e-4 as lr_low
    train opt=sgd as sgd
    compare
    plot test_acc
    train zero_grad=off as no_zero_grad
    plot grad_sq layer=1
    report
    """
  let result = Frontend.check(study, context: CheckContext())
  #expect(result.diagnostics == [])
  #expect(result.commands.count == 13)
  let designCard = Frontend.check(
    "load fashion; model 784-128-relu-10; train batch=64 lr=1e-3 opt=adam zero_grad=off", context: CheckContext())
  #expect(designCard.diagnostics == [] && designCard.commands.count == 3)
}
