import Foundation
import NN

extension Session {
  /// The report's content, shared by every report format. `plots` are the session's plots
  /// chosen with `report plots=…`; nil draws each section's standard charts.
  func reportSections(plots chosen: [MadePlot]? = nil, date: Date = Date()) -> [ReportSection] {
    var s: [ReportSection] = []
    let base = runs.first(where: { $0.name == "baseline" }) ?? runs[0]
    /// The student's text of a section: paragraphs separated by one blank line, the line breaks
    /// inside a paragraph read as spaces (as Markdown does), so every format wraps it alike.
    func own(_ part: ReportPart) {
      guard let text = reportTexts[part] else { return }
      let paragraphs = Session.paragraphs(text).map {
        $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
      }
      s.append(.text(paragraphs.joined(separator: "\n\n")))
    }
    /// The charts of a section: the chosen plots that belong to it, else the standard ones.
    func charts(_ part: ReportPart, standard: () -> [PlotSpec?]) {
      if let chosen {
        s += chosen.filter { $0.part == part }.map { .chart($0.chart) }
      } else {
        s += standard().compactMap { $0.map { .chart($0.chart) } }
      }
    }
    s.append(
      .titleBlock(
        ReportTitle(
          title: titleLines[.title] ?? Session.defaultTitle, author: titleLines[.author], course: titleLines[.course],
          date: ISO8601DateFormatter().string(from: date))))
    s.append(
      .paragraph(
        "Written by the NN-DSL kernel. Every table, chart and list of measurements below was "
          + "computed from the runs of this session."))
    own(.intro)

    s.append(.heading(2, "Environment"))
    s.append(.list(environmentFacts().map { "\($0.0): \($0.1)" }))
    own(.environment)

    s.append(.heading(2, "Method"))
    let method: [String] = [
      "Model \(base.model) (Linear layers with PyTorch's default initialisation U(±1/√fan_in)), "
        + "mean cross-entropy loss; pixels scaled to [0,1] per batch.",
      "train_s: wall-clock time of the training loops only (batch assembly, forward, backward, update), "
        + "evaluation excluded; on a GPU the device is synchronised before the clock is read.",
      "total_s: wall-clock time of the whole train statement: "
        + "model build, data to the device, training, per-epoch evaluation and metrics.",
      "δ² (grad_sq): for each step, Σ over batch and units of (∂E/∂s)², E the mean cross-entropy of the batch "
        + "and s the pre-activation output of a Linear layer; "
        + "per epoch the mean over its steps and the sum over them (P2's table; `plot grad_sq agg=sum`).",
      "zero_grad=on resets parameter gradients before each backward pass; "
        + "zero_grad=off lets them accumulate across steps exactly as PyTorch does without optimizer.zero_grad(); "
        + "δ itself is recomputed every step.",
      "Data shuffled every epoch by each run's seeded generator; the last partial batch is kept. "
        + "Same seed and thread count give the same numbers on the CPU.",
    ]
    let seedNote =
      "Runs that differ only in their seed are summarised as mean ± population standard deviation "
      + "over the seeds in tables, and drawn as their mean with a band of ± one standard deviation in charts."
    s.append(.list(method + (seedBands(runs).contains { $0.count > 1 } ? [seedNote] : [])))
    own(.method)

    s.append(.heading(2, "Runs and what changed against the baseline (\(base.name))"))
    s.append(
      .list(
        runs.map { r in
          let stmt = runSources[r.name].map { " — statement `\($0)`" } ?? ""
          let change =
            r.name == base.name ? "the baseline: \(describe(r.config))" : "changed: \(changes(r, from: base))"
          return "\(r.name): \(change)\(stmt); ran on \(r.backend) (\(r.deviceName)); \(r.status)"
        }))
    // Each distinct note once, with the runs it applies to (GPU evidence has its own section).
    var noteOrder: [String] = []
    var noteRuns: [String: [String]] = [:]
    for r in runs {
      for runNote in r.runNotes {
        if case .gpuEvidence = runNote { continue }
        let note = runNote.text
        if noteRuns[note] == nil { noteOrder.append(note) }
        noteRuns[note, default: []].append(r.name)
      }
    }
    let notes = noteOrder.map { note -> String in
      let names = noteRuns[note] ?? []
      return names.count == runs.count ? "\(note) (all runs)" : "\(note) (\(names.joined(separator: ", ")))"
    }
    if !notes.isEmpty {
      s.append(.heading(3, "Device notes"))
      s.append(.list(notes))
    }
    own(.runs)

    s.append(contentsOf: gpuUseSections())
    own(.gpu)

    let zeroOff = runs.filter { !$0.config.zeroGrad }
    let p1 = runs.filter { $0.config.zeroGrad }
    let p1Runs = p1.isEmpty ? runs : p1
    s.append(.heading(2, "P1 — parameters vs time and accuracy"))
    s.append(.table(compareTable(p1Runs, baseline: base, title: "P1 comparison")))
    if let groups = seedGroupTable(p1Runs, baseline: base) { s.append(.table(groups)) }
    s.append(.findings(p1Findings(p1Runs, base: base)))
    charts(.p1) {
      [Metric.testAcc, .trainLoss, .times].map {
        try? plotSpec(metric: $0, runs: p1Runs, layer: nil, perStep: false, log: nil)
      }
    }
    own(.p1)

    s.append(.heading(2, "P2 — δ² at the output of the first Linear layer"))
    s.append(
      .paragraph(
        "δ² of a step is Σ over the batch and the layer's units of (∂E/∂s)², taken at the output s of "
          + "Linear(\(base.model.inputWidth),\(base.model.layers.first?.width ?? 0)) before its activation; "
          + "per epoch the report gives its mean over the epoch's steps and its sum."))
    s.append(.findings(p2Findings(p1Runs, base: base)))
    s.append(.table(gradSqTable(base)))
    charts(.p2) { [try? plotSpec(metric: .gradSq, runs: p1Runs, layer: 1, perStep: false, log: nil)] }
    own(.p2)

    s.append(.heading(2, "P3 — gradient zeroing"))
    s.append(
      .paragraph(
        "Where the gradients are reset: at the start of every step, before the forward pass — the step "
          + "below, as the engine runs it on the CPU and the GPU, with the PyTorch line each part corresponds to. "
          + "The engine does not clear the gradient buffers in a separate pass: with zero_grad=on the backward "
          + "pass writes ∂E/∂θ into them, replacing the previous step's values (the same as zeroing, then "
          + "adding); with zero_grad=off it adds to them, so ∇θ is the sum over every step so far. The first "
          + "step of a run always writes, as PyTorch's .grad starts empty. δ is the fresh activation gradient of "
          + "each step either way."))
    s.append(.code(stepPseudoCode(base.model)))
    if zeroOff.isEmpty {
      s.append(.paragraph("No run with zero_grad=off was made in this session."))
    } else {
      let pair = ([base] + zeroOff)
      s.append(.table(compareTable(pair, baseline: base, title: "P3 comparison: zero_grad on vs off")))
      s.append(.findings(p3Findings(zeroOff, base: base)))
    }
    charts(.p3) {
      guard !zeroOff.isEmpty else { return [] }
      let pair = ([base] + zeroOff)
      return [
        try? plotSpec(metric: .testAcc, runs: pair, layer: nil, perStep: false, log: nil),
        try? plotSpec(metric: .gradNorm, runs: pair, layer: 1, perStep: false, log: nil),
      ]
    }
    own(.p3)

    if reportTexts[.conclusion] != nil {
      s.append(.heading(2, "Conclusions"))
      own(.conclusion)
    }
    s.append(.heading(2, "Per-epoch history"))
    for r in runs { s.append(.table(epochTable(r))) }
    return s
  }
}
