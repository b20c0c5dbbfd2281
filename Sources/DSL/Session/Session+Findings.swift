import NN

/// Number text for findings: 3 significant digits, percentages with one decimal.
private func sig(_ x: Double) -> String { NumberFormatting.significant(x, 3) }
private func sci(_ x: Double) -> String { NumberFormatting.scientific(x, 2) }
private func times(_ ratio: Double) -> String { NumberFormatting.fixed(ratio, 2) + "×" }
private func pct(_ fraction: Double) -> String { NumberFormatting.fixed(fraction * 100, 1) + "%" }
private func signedPct(_ change: Double) -> String {
  change.isFinite ? (change >= 0 ? "+" : "−") + NumberFormatting.fixed(abs(change) * 100, 0) + "%" : "n/a"
}
private func points(_ difference: Double) -> String {
  (difference >= 0 ? "+" : "−") + NumberFormatting.fixed(abs(difference) * 100, 1) + " points"
}

extension Session {
  // MARK: - P1

  /// Measured facts of P1: accuracy per variant against the baseline, the share of each
  /// statement spent training, and steps per second across batch sizes.
  func p1Findings(_ p1: [RunRecord], base: RunRecord) -> [String] {
    var facts: [String] = []
    let finished = p1.filter { $0.epochs.last != nil }
    if finished.count > 1,
      let best = finished.max(by: { $0.epochs.last!.testAccuracy < $1.epochs.last!.testAccuracy }),
      let worst = finished.min(by: { $0.epochs.last!.testAccuracy < $1.epochs.last!.testAccuracy })
    {
      let hi = best.epochs.last!.testAccuracy
      let lo = worst.epochs.last!.testAccuracy
      facts.append(
        pct(hi) == pct(lo)
          ? "All \(finished.count) runs end at \(pct(hi)) test accuracy."
          : "Highest final test accuracy: \(best.name) with \(pct(hi)); lowest: \(worst.name) with \(pct(lo)).")
    }
    for r in p1 where r.name != base.name {
      guard let last = r.epochs.last, let baseLast = base.epochs.last else {
        facts.append("\(r.name) (\(changes(r, from: base))): \(r.status), no finished epoch.")
        continue
      }
      var s =
        "\(r.name) (\(changes(r, from: base))): final test accuracy \(pct(last.testAccuracy)), "
        + "\(points(last.testAccuracy - baseLast.testAccuracy)) against \(base.name)"
      if base.trainSeconds > 0 {
        s += "; train_s \(sig(r.trainSeconds)) s, \(times(r.trainSeconds / base.trainSeconds)) the baseline's"
      }
      if case .diverged(let epoch, let step) = r.status { s += "; diverged at epoch \(epoch), step \(step)" }
      facts.append(s + ".")
    }
    let shares = p1.filter { $0.totalSeconds > 0 }.map { "\($0.name) \(pct($0.trainSeconds / $0.totalSeconds))" }
    if !shares.isEmpty {
      facts.append(
        "Share of each train statement spent in the training loops (train_s / total_s): "
          + shares.joined(separator: ", ")
          + "; the rest is model build, data to the device and the per-epoch evaluation.")
    }
    // Steps per second over the runs that differ from the baseline only in batch size.
    let batches = ([base] + p1.filter { $0.name != base.name && changes($0, from: base) == "batch=\($0.config.batch)" })
      .filter { $0.trainSeconds > 0 && !$0.epochs.isEmpty }
      .sorted { $0.config.batch < $1.config.batch }
    if batches.count > 1, let small = batches.first, let large = batches.last {
      let perEpoch = { (r: RunRecord) in r.trainSeconds / Double(r.epochs.count) }
      let stepRatio = sig(Double(large.config.batch) / Double(small.config.batch))
      let smallExamples = sig(small.stepsPerSecond * Double(small.config.batch))
      let largeExamples = sig(large.stepsPerSecond * Double(large.config.batch))
      facts.append(
        "Steps per second: "
          + batches.map { "batch \($0.config.batch) \(sig($0.stepsPerSecond))" }.joined(separator: ", ")
          + ". An epoch takes \(sig(perEpoch(small))) s at batch \(small.config.batch) "
          + "and \(sig(perEpoch(large))) s at batch \(large.config.batch) "
          + "(\(times(perEpoch(small) / perEpoch(large)))) with \(stepRatio)× as many steps; "
          + "examples per second: \(smallExamples) vs \(largeExamples).")
    }
    for group in seedBands(p1) where group.count > 1 {
      let xs = group.compactMap { $0.epochs.last?.testAccuracy }
      guard xs.count == group.count else { continue }
      let (m, sd) = meanAndSD(xs)
      facts.append(
        "\(seedGroupLabel(group)): final test accuracy \(pct(m)) "
          + "± \(NumberFormatting.fixed(sd * 100, 2)) points over \(group.count) seeds.")
    }
    return facts
  }

  // MARK: - P2

  /// Measured facts of P2 for Linear layer 1: the δ² trend over the epochs and within epoch 1,
  /// the per-epoch sum, and how δ² scales with the batch size.
  func p2Findings(_ p1: [RunRecord], base: RunRecord) -> [String] {
    var facts: [String] = []
    for r in p1 {
      guard let first = r.epochs.first, let last = r.epochs.last, first.gradSqMean.count > 0 else { continue }
      let a = first.gradSqMean[0]
      let b = last.gradSqMean[0]
      facts.append(
        "\(r.name): δ² (mean per step) \(sci(a)) in epoch 1 → \(sci(b)) in epoch \(last.epoch) "
          + "(\(signedPct(a != 0 ? (b - a) / a : .nan))).")
    }
    if let first = base.epochs.first, !base.stepGradSq.isEmpty {
      let steps = Array(base.stepGradSq[0].prefix(first.steps)).map(Double.init)
      let k = max(1, steps.count / 10)
      if steps.count >= 2 {
        let head = steps.prefix(k).reduce(0, +) / Double(k)
        let tail = steps.suffix(k).reduce(0, +) / Double(k)
        facts.append(
          "Within epoch 1 of \(base.name): mean δ² of the first \(k) step\(k == 1 ? "" : "s") \(sci(head)), "
            + "of the last \(k) \(sci(tail)) (\(signedPct(head != 0 ? (tail - head) / head : .nan))).")
      }
    }
    if let first = base.epochs.first, let last = base.epochs.last, !first.gradSqSum.isEmpty {
      facts.append(
        "\(base.name): δ² summed over each epoch's \(grouped(first.steps)) steps "
          + "\(sig(first.gradSqSum[0])) in epoch 1 → \(sig(last.gradSqSum[0])) in epoch \(last.epoch) "
          + "(the sum is the mean per step times the steps of the epoch).")
    }
    let batches = ([base] + p1.filter { $0.name != base.name && changes($0, from: base) == "batch=\($0.config.batch)" })
      .filter { !$0.epochs.isEmpty }
      .sorted { $0.config.batch < $1.config.batch }
    if batches.count > 1, let small = batches.first, let large = batches.last {
      let d = { (r: RunRecord) in r.epochs[0].gradSqMean[0] }
      facts.append(
        "δ² depends on the batch size B because E is the mean loss over the batch: "
          + "each example's δ carries a factor 1/B, "
          + "so the batch sum Σ δ² scales as 1/B. Epoch 1, δ² (mean per step): "
          + batches.map { "batch \($0.config.batch) \(sci(d($0)))" }.joined(separator: ", ")
          + "; batch-normalised δ²·B: "
          + batches.map { "\(sig(d($0) * Double($0.config.batch)))" }.joined(separator: ", ")
          + ". δ²(batch \(small.config.batch)) / δ²(batch \(large.config.batch)) = \(sig(d(small) / d(large))) "
          + "(1/B alone predicts \(sig(Double(large.config.batch) / Double(small.config.batch)))); "
          + "compare batch sizes by δ²·B.")
    }
    return facts
  }

  /// P2's table: δ² of Linear layer 1 per epoch for one run, as the mean per step, the sum over the
  /// epoch and the batch-normalised mean.
  func gradSqTable(_ r: RunRecord) -> Table {
    var g = Table(
      title: "\(r.name): δ² at the output of Linear layer 1 per epoch",
      columns: [
        ("epoch", true), ("steps", true), ("δ² sum over the epoch", true), ("δ² mean per step", true),
        ("δ²·B (mean × batch)", true),
      ])
    for e in r.epochs where !e.gradSqMean.isEmpty {
      g.add([
        .integer(e.epoch), .integer(e.steps), .scientific(e.gradSqSum[0], 3), .scientific(e.gradSqMean[0], 3),
        .scientific(e.gradSqMean[0] * Double(r.config.batch), 3),
      ])
    }
    g.footnotes.append(
      "δ² = Σ over batch and units of (∂E/∂s)² of one step, E the mean cross-entropy of the batch; "
        + "`plot grad_sq agg=sum` draws the sums, `plot grad_sq per=step` every step")
    return g
  }

  // MARK: - P3

  /// Measured facts of P3 for each run without gradient zeroing, against the baseline: growth of
  /// ‖∇W1‖, accuracy, δ² (fresh every step) and how the predictions spread over the classes.
  func p3Findings(_ zeroOff: [RunRecord], base: RunRecord) -> [String] {
    var facts: [String] = []
    func gradNorm(_ r: RunRecord, _ e: EpochRecord) -> Double {
      let index = r.parameterNames.firstIndex(of: "fc1.weight") ?? 0
      return index < e.gradNorms.count ? e.gradNorms[index] : .nan
    }
    func growth(_ r: RunRecord) -> String? {
      guard let first = r.epochs.first, let last = r.epochs.last else { return nil }
      let a = gradNorm(r, first)
      let b = gradNorm(r, last)
      return "\(sig(a)) at the end of epoch 1 → \(sig(b)) at the end of epoch \(last.epoch) "
        + "(\(times(a != 0 ? b / a : .nan)))"
    }
    let baseEval = classSpread(base)
    for z in zeroOff {
      if let g = growth(z) {
        var s = "\(z.name): ‖∇W1‖ (the accumulated parameter gradient of layer 1) \(g)"
        if let b = growth(base) { s += "; \(base.name) with zero_grad=on: \(b)" }
        if let zl = z.epochs.last, let bl = base.epochs.last, zl.epoch == bl.epoch, gradNorm(base, bl) > 0 {
          s += "; at epoch \(zl.epoch) \(z.name)'s is \(times(gradNorm(z, zl) / gradNorm(base, bl))) \(base.name)'s"
        }
        facts.append(s + ".")
      }
      if let zl = z.epochs.last, let bl = base.epochs.last {
        let best = z.epochs.max { $0.testAccuracy < $1.testAccuracy }!
        facts.append(
          "\(z.name): final test accuracy \(pct(zl.testAccuracy)) "
            + "(\(points(zl.testAccuracy - bl.testAccuracy)) against \(base.name)'s \(pct(bl.testAccuracy))); "
            + "its best was \(pct(best.testAccuracy)) after epoch \(best.epoch).")
        if !zl.gradSqMean.isEmpty, !bl.gradSqMean.isEmpty {
          facts.append(
            "\(z.name): δ² at layer 1 stays a per-step quantity (δ is recomputed every step): "
              + "\(sci(zl.gradSqMean[0])) per step in epoch \(zl.epoch) vs \(sci(bl.gradSqMean[0])) for \(base.name).")
        }
      } else {
        facts.append("\(z.name): \(z.status), no finished epoch.")
      }
      if let spread = classSpread(z) {
        var s = "\(z.name), final weights on the test set: \(spread)"
        if let b = baseEval { s += "; \(base.name): \(b)" }
        facts.append(s + ".")
      }
    }
    return facts
  }

  /// How a run's final weights classify the loaded test set: the classes its predictions fall
  /// into and its per-class accuracy; nil when no data set that fits the run is loaded.
  func classSpread(_ r: RunRecord) -> String? {
    guard let data = dataset, !r.finalParameters.isEmpty,
      let e = try? Evaluator.evaluate(model: r.model, parameters: r.finalParameters, data: data, split: .test)
    else { return nil }
    let classes = e.perClassAccuracy.count
    func name(_ k: Int) -> String { classes == fashionClassNames.count ? fashionClassNames[k] : "class \(k)" }
    let total = e.confusion.reduce(0) { $0 + $1.reduce(0, +) }
    guard total > 0 else { return nil }
    var predicted = [Int](repeating: 0, count: classes)
    for row in e.confusion { for (k, n) in row.enumerated() where k < classes { predicted[k] += n } }
    let used = predicted.enumerated().filter { Double($0.element) >= 0.01 * Double(total) }
      .sorted { $0.element > $1.element }
    let top = used.prefix(3).map { "\(name($0.offset)) \(pct(Double($0.element) / Double(total)))" }
    let accs = e.perClassAccuracy.enumerated().filter { $0.element.isFinite }
    let low = accs.filter { $0.element < 0.1 }.map { name($0.offset) }
    var s =
      "predictions fall into \(used.count) of \(classes) classes "
      + "(each with at least 1% of the \(grouped(total)) images; most: \(top.joined(separator: ", ")))"
    if let lo = accs.min(by: { $0.element < $1.element }), let hi = accs.max(by: { $0.element < $1.element }) {
      s +=
        pct(lo.element) == pct(hi.element)
        ? ", per-class accuracy \(pct(hi.element)) for every class"
        : ", per-class accuracy from \(pct(lo.element)) (\(name(lo.offset))) to \(pct(hi.element)) (\(name(hi.offset)))"
    }
    s += low.isEmpty ? ", no class below 10%" : ", \(low.count) class\(low.count == 1 ? "" : "es") below 10%"
    return s
  }

  /// The training step as the engine runs it, with the PyTorch line each part corresponds to.
  func stepPseudoCode(_ model: ModelSpec) -> String {
    // One forward line per Linear layer, so the block stays narrow for deep models.
    var forward: [String] = []
    var input = "x"
    for (i, layer) in model.layers.enumerated() {
      let l = i + 1
      var line = "s\(l) = \(input)·W\(l) + b\(l)"
      input = "s\(l)"
      if let a = layer.activation {
        line += ";  h\(l) = \(a.rawValue)(s\(l))"
        input = "h\(l)"
      }
      forward.append(line)
    }
    let last = model.linearCount
    var rows: [(String, String)] = [
      ("for epoch in 1...epochs:", ""),
      ("  shuffle the training images (seeded)", ""),
      ("  for each batch (x, y) of B images:", "for x, y in loader:"),
      ("    x = pixels / 255", ""),
      ("    1 zero      zero_grad=on:  ∇θ = 0 for every W, b", "optimizer.zero_grad()"),
      ("                zero_grad=off: ∇θ kept from the last step", "(that line left out)"),
    ]
    for (k, line) in forward.enumerated() {
      rows.append(((k == 0 ? "    2 forward   " : "                ") + line, k == 0 ? "out = model(x)" : ""))
    }
    rows += [
      ("                E = mean cross-entropy(s\(last), y)", "loss = criterion(out, y)"),
      (
        "    3 backward  " + (last == 1 ? "δ1 = ∂E/∂s1" : "δ\(last) = ∂E/∂s\(last) … δ1 = ∂E/∂s1")
          + ";  δ² = Σ δ² per layer",
        "loss.backward()"
      ),
      ("                ∇θ += ∂E/∂θ for every W, b", ""),
      ("    4 update    θ = θ − step(∇θ)   (Adam or SGD)", "optimizer.step()"),
    ]
    let width = rows.map { $0.0.count }.max() ?? 0
    return rows.map { code, torch in
      torch.isEmpty ? code : code + String(repeating: " ", count: width - code.count + 2) + "# " + torch
    }.joined(separator: "\n")
  }
}
