import NN

extension Session {
  /// `plot`: one chart of a metric for the named runs (all runs by default).
  func plot(_ args: PlotArgs, _ ctx: RunContext) throws {
    let selected = try selectRuns(args.runs)
    guard !selected.isEmpty else {
      throw SessionError.runtime("there are no runs to plot", hint: "train a run first")
    }
    let spec = try plotSpec(
      metric: args.metric, runs: selected, layer: args.layer,
      perStep: args.per == .step, log: args.logScale, agg: args.agg, seeds: args.seeds)
    let chart = spec.chart
    ctx.emit(.chart(chart))
    recordPlot(args, chart: chart, runs: selected)
  }

  /// Builds the chart of a metric (also used by the report). Per-epoch lines of runs that differ
  /// only in their seed become one mean line with a ± sd band unless `seeds` is `.each`.
  func plotSpec(
    metric: Metric, runs selected: [RunRecord], layer: Int?, perStep: Bool, log: Bool?,
    agg: Aggregate = .mean, seeds: SeedDrawing = .mean
  ) throws
    -> PlotSpec
  {
    let names = selected.map(\.name).joined(separator: ", ")
    let groups = seeds == .mean ? seedBands(selected) : selected.map { [$0] }
    let bandNote =
      groups.contains(where: { $0.count > 1 })
      ? " Runs that differ only in their seed are drawn as their mean with a band of ± one standard deviation." : ""
    func epochs(_ r: RunRecord) -> [Double] { r.epochs.map { Double($0.epoch) } }
    func perEpoch(
      _ title: String, _ yTitle: String, _ unit: String?, logDefault: Bool,
      _ series: (RunRecord) -> [(String, [Double])]
    ) -> PlotSpec {
      var p = PlotSpec(
        title: title, description: "\(title) per epoch for runs \(names).\(bandNote)",
        xTitle: "epoch", xUnit: nil, yTitle: yTitle, yUnit: unit, logY: log ?? logDefault)
      for group in groups {
        guard group.count > 1 else {
          let r = group[0]
          for (suffix, ys) in series(r) {
            p.lines.append(.init(name: suffix.isEmpty ? r.name : "\(r.name) \(suffix)", x: epochs(r), y: ys))
          }
          continue
        }
        p.lines += seedBandLines(group, label: seedGroupLabel(group), series)
      }
      return p
    }
    func checkLayer(_ r: RunRecord, _ l: Int) throws {
      guard l >= 1, l <= r.model.linearCount else {
        throw SessionError.runtime(
          "layer=\(l) is out of range: run '\(r.name)' has \(r.model.linearCount) Linear layers",
          hint: "use layer=1…\(r.model.linearCount)")
      }
    }

    switch metric {
    case .trainLoss where perStep:
      var p = PlotSpec(
        title: "Training loss per step", description: "Mean cross-entropy of each batch for runs \(names).",
        xTitle: "step", xUnit: nil, yTitle: "loss", yUnit: nil, logY: log ?? false)
      for r in selected {
        p.lines.append(
          .init(
            name: r.name, x: (0..<r.stepLoss.count).map { Double($0 + 1) },
            y: r.stepLoss.map(Double.init)))
      }
      return p
    case .trainLoss:
      return perEpoch("Training loss", "loss", nil, logDefault: false) { [("", $0.epochs.map(\.trainLoss))] }
    case .testLoss: return perEpoch("Test loss", "loss", nil, logDefault: false) { [("", $0.epochs.map(\.testLoss))] }
    case .loss:
      return perEpoch("Loss", "loss", nil, logDefault: false) {
        [("train", $0.epochs.map(\.trainLoss)), ("test", $0.epochs.map(\.testLoss))]
      }
    case .trainAcc:
      return perEpoch("Training accuracy", "accuracy", "%", logDefault: false) {
        [("", $0.epochs.map { $0.trainAccuracy * 100 })]
      }
    case .testAcc:
      return perEpoch("Test accuracy", "accuracy", "%", logDefault: false) {
        [("", $0.epochs.map { $0.testAccuracy * 100 })]
      }
    case .accuracy:
      return perEpoch("Accuracy", "accuracy", "%", logDefault: false) {
        [("train", $0.epochs.map { $0.trainAccuracy * 100 }), ("test", $0.epochs.map { $0.testAccuracy * 100 })]
      }
    case .gradSq:
      let l = layer ?? 1
      for r in selected { try checkLayer(r, l) }
      if perStep {
        var p = PlotSpec(
          title: "δ² at the output of Linear layer \(l), per step",
          description: "Sum over batch and units of (∂E/∂s)² at the pre-activation output of layer \(l), "
            + "every step, runs \(names).",
          xTitle: "step", xUnit: nil, yTitle: "δ²", yUnit: nil, logY: log ?? true)
        for r in selected {
          let ys = r.stepGradSq[l - 1]
          p.lines.append(.init(name: r.name, x: (0..<ys.count).map { Double($0 + 1) }, y: ys.map(Double.init)))
        }
        return p
      }
      let (what, title, yTitle, values): (String, String, String, KeyPath<EpochRecord, [Double]>) =
        switch agg {
        case .mean: ("mean", "mean per step", "δ²", \.gradSqMean)
        case .sum: ("sum", "sum over the epoch's steps", "δ² per epoch", \.gradSqSum)
        }
      var p = perEpoch("δ² at the output of Linear layer \(l) (\(title))", yTitle, nil, logDefault: true) {
        [("", $0.epochs.map { $0[keyPath: values][l - 1] })]
      }
      p.description =
        "Per-epoch \(what) over steps of Σ (∂E/∂s)² over batch and units "
        + "at the pre-activation output of Linear layer \(l), runs \(names).\(bandNote)"
      return p
    case .weightNorm:
      return perEpoch("Weight L2 norm", "‖W‖₂", nil, logDefault: false) { r in
        let layers = layer.map { [$0] } ?? Array(1...max(1, r.model.linearCount))
        return layers.filter { $0 <= r.model.linearCount }.map { l in
          (r.model.linearCount > 1 || layer != nil ? "W\(l)" : "", r.epochs.map { $0.weightNorms[l - 1] })
        }
      }
    case .gradNorm:
      return perEpoch(
        "Parameter-gradient L2 norm at the end of each epoch", "‖∇‖₂", nil,
        logDefault: true
      ) { r in
        // One series per weight matrix (or the chosen layer's weight): where accumulation shows.
        let layers = layer.map { [$0] } ?? Array(1...max(1, r.model.linearCount))
        return layers.filter { $0 <= r.model.linearCount }.map { l in
          let index = r.parameterNames.firstIndex(of: "fc\(l).weight") ?? 2 * (l - 1)
          return ("∇W\(l)", r.epochs.map { index < $0.gradNorms.count ? $0.gradNorms[index] : .nan })
        }
      }
    case .epochTime:
      return perEpoch("Time per epoch", "time", "s", logDefault: false) { [("", $0.epochs.map(\.seconds))] }
    case .times:
      var p = PlotSpec(
        title: "Training time vs total time",
        description: "train_s (training loops only) and total_s (whole statement) per run: \(names).",
        xTitle: "run", xUnit: nil, yTitle: "time", yUnit: "s", logY: log ?? false)
      p.categories = selected.map(\.name)
      p.groups = [("train_s", selected.map(\.trainSeconds)), ("total_s", selected.map(\.totalSeconds))]
      return p
    }
  }
}
