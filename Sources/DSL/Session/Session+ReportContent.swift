import Foundation
import NN

extension Session {
  /// The report's content, shared by the HTML and Markdown forms.
  func reportSections() -> [ReportSection] {
    var s: [ReportSection] = []
    let base = runs.first(where: { $0.name == "baseline" }) ?? runs[0]
    s.append(.heading(1, "Training study report"))
    s.append(.paragraph("Generated \(ISO8601DateFormatter().string(from: Date())) by the NN-DSL kernel. "
      + "Every figure below was measured in this session; interpretation is left to the reader."))

    s.append(.heading(2, "Environment"))
    s.append(.list(environmentFacts().map { "\($0.0): \($0.1)" }))

    s.append(.heading(2, "Method"))
    s.append(.list([
      "Model \(base.model) (Linear layers with PyTorch's default initialisation U(±1/√fan_in)), mean cross-entropy loss; pixels scaled to [0,1] per batch.",
      "train_s: wall-clock time of the training loops only (batch assembly, forward, backward, update), evaluation excluded; on a GPU the device is synchronised before the clock is read.",
      "total_s: wall-clock time of the whole train statement: model build, data to the device, training, per-epoch evaluation and metrics.",
      "δ² (grad_sq): for each step, Σ over batch and units of (∂E/∂s)², E the mean cross-entropy of the batch and s the pre-activation output of a Linear layer; per epoch the mean over its steps (the sum is exported too).",
      "zero_grad=on resets parameter gradients before each backward pass; zero_grad=off lets them accumulate across steps exactly as PyTorch does without optimizer.zero_grad(); δ itself is recomputed every step.",
      "Data shuffled every epoch by each run's seeded generator; the last partial batch is kept. Same seed and thread count give the same numbers on the CPU.",
    ]))

    s.append(.heading(2, "Runs and what changed against the baseline (\(base.name))"))
    s.append(.list(runs.map { r in
      let stmt = runSources[r.name].map { " — statement `\($0)`" } ?? ""
      let change = r.name == base.name ? "the baseline: \(describe(r.config))" : "changed: \(changes(r, from: base))"
      return "\(r.name): \(change)\(stmt); ran on \(r.backend) (\(r.deviceName)); \(r.status)"
    }))
    // Each distinct note once, with the runs it applies to (GPU evidence has its own section).
    var noteOrder: [String] = []
    var noteRuns: [String: [String]] = [:]
    for r in runs {
      for note in r.notes where !note.hasPrefix(GPUEvidence.prefix) {
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

    s.append(contentsOf: gpuUseSections())

    let zeroOff = runs.filter { !$0.config.zeroGrad }
    let p1 = runs.filter { $0.config.zeroGrad }
    s.append(.heading(2, "P1 — parameters vs time and accuracy"))
    s.append(.table(compareTable(p1.isEmpty ? runs : p1, baseline: base, title: "P1 comparison")))
    for metric in ["test_acc", "train_loss", "times"] {
      if let spec = try? plotSpec(metric: metric, runs: p1.isEmpty ? runs : p1, layer: nil, perStep: false, log: nil) {
        s.append(.chart(spec.chart))
      }
    }

    s.append(.heading(2, "P2 — δ² at the output of the first Linear layer"))
    var facts: [String] = []
    for r in runs {
      guard let first = r.epochs.first?.gradSqMean.first, let last = r.epochs.last?.gradSqMean.first else { continue }
      let change = first != 0 ? (last - first) / first * 100 : .nan
      facts.append("\(r.name): δ² mean per step \(NumberFormatting.scientific(first, 2)) in epoch 1 → \(NumberFormatting.scientific(last, 2)) in epoch \(r.epochs.count) (\(change >= 0 ? "+" : "")\(NumberFormatting.fixed(change, 1))%)")
    }
    s.append(.list(facts))
    if let spec = try? plotSpec(metric: "grad_sq", runs: runs, layer: 1, perStep: false, log: nil) {
      s.append(.chart(spec.chart))
    }

    s.append(.heading(2, "P3 — gradient zeroing"))
    if zeroOff.isEmpty {
      s.append(.paragraph("No run with zero_grad=off was made in this session."))
    } else {
      let pair = ([base] + zeroOff)
      s.append(.table(compareTable(pair, baseline: base, title: "P3 comparison: zero_grad on vs off")))
      if let spec = try? plotSpec(metric: "test_acc", runs: pair, layer: nil, perStep: false, log: nil) {
        s.append(.chart(spec.chart))
      }
      if let spec = try? plotSpec(metric: "grad_norm", runs: pair, layer: 1, perStep: false, log: nil) {
        s.append(.chart(spec.chart))
      }
    }
    s.append(.heading(2, "Per-epoch history"))
    for r in runs { s.append(.table(epochTable(r))) }
    return s
  }

}
