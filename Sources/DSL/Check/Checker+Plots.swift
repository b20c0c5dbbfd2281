/// `plot` and the plot names and numbers that `report plots=` refers to.
extension Checker {
  mutating func checkPlot(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    guard let first = args.positional.first else {
      error("'plot' needs a metric", s.keyword.range, hint: "e.g. plot test_acc; see 'help metrics'")
      return nil
    }
    var ok = true
    var metric: Metric?
    if let item = single(first, "the metric of 'plot'") {
      metric = choice(item, "plot", Metric.self, synonyms: Synonyms.metrics)
    }
    let runs = runList(Array(args.positional.dropFirst()))
    var layer: Int?
    if let v = args.value("layer"), let item = single(v, "'layer'") {
      layer = integer(item, "layer", 1...32, shown: "1...32")
      if layer == nil { ok = false }
      if let metric, !metric.usesLayer {
        error("'layer=' applies only to grad_sq, weight_norm and grad_norm, not \(metric.rawValue)", v.range)
        ok = false
      }
    } else if args.value("layer") != nil {
      ok = false
    }
    var per = Granularity.epoch
    if let v = args.value("per") {
      if let item = single(v, "'per'"), let g = choice(item, "per", Granularity.self) {
        per = g
        if g == .step, let metric, !metric.allowsSteps {
          error("per=step is only available for grad_sq and train_loss, not \(metric.rawValue)", v.range)
          ok = false
        }
      } else {
        ok = false
      }
    }
    var logScale: Bool?
    if let v = args.value("log") {
      if let item = single(v, "'log'"), let b = boolean(item, "log") { logScale = b } else { ok = false }
    }
    var agg = Aggregate.mean
    if let v = args.value("agg") {
      if let item = single(v, "'agg'"), let a = choice(item, "agg", Aggregate.self) {
        agg = a
        if let metric, metric != .gradSq {
          error("'agg=' applies only to grad_sq, not \(metric.rawValue)", v.range)
          ok = false
        } else if a == .sum && per == .step {
          error(
            "agg=sum sums an epoch's steps; it does not apply to per=step", v.range,
            hint: "per=step shows every step's δ²; leave out agg=")
          ok = false
        }
      } else {
        ok = false
      }
    }
    var seeds = SeedDrawing.mean
    if let v = args.value("seeds") {
      if let item = single(v, "'seeds'"), let d = choice(item, "seeds", SeedDrawing.self) {
        seeds = d
      } else {
        ok = false
      }
    }
    var name: String?
    if let alias = s.alias {
      name = plotName(alias.name)
      if name == nil { ok = false }
    }
    registerPlot(name)
    guard ok, let metric, let runs else { return nil }
    if metric == .gradSq && layer == nil { layer = 1 }
    return .plot(
      PlotArgs(
        metric: metric, runs: runs, layer: layer, per: per, logScale: logScale,
        agg: agg, seeds: seeds, name: name))
  }

  /// A plot name after `as`: a valid name that is not the reserved word `all`.
  private mutating func plotName(_ name: NameSyntax) -> String? {
    guard Checker.isValidRunName(name.text), name.text != "all" else {
      error(
        "plot name '\(name.text)' is not a valid name", name.range,
        hint: name.text == "all"
          ? "'all' is reserved for report plots=all"
          : "a plot name is \(Checker.nameRule) (at most \(Checker.maxRunNameLength))")
      return nil
    }
    return name.text
  }

  /// Records a plot the statement makes: a new number, or the number of the plot it replaces.
  private mutating func registerPlot(_ name: String?) {
    if let name, plots.contains(name) { return }
    plots.append(name)
  }

  /// The plots of `report plots=…`: numbers, names, or all.
  mutating func plotList(_ value: ValueSyntax) -> [PlotRef]? {
    var out: [PlotRef] = []
    var ok = true
    let names = plots.compactMap { $0 }
    for item in value.items {
      if case .number(let n) = item.kind {
        guard n.isInteger, let k = n.intValue, k >= 1, k <= plots.count else {
          let have = plots.isEmpty ? "the session has no plots yet" : "the session has plots 1...\(plots.count)"
          error(
            "there is no plot \(n.text): \(have)", item.range,
            hint: "`plots` lists the plots with their numbers and names")
          ok = false
          continue
        }
        out.append(.number(k))
        continue
      }
      let text = item.stringValue
      if text == "all" {
        out.append(.all)
      } else if names.contains(text) {
        out.append(.name(text))
      } else {
        let hint =
          EditDistance.hint(for: text, among: names + ["all"])
          ?? (names.isEmpty
            ? "name a plot with 'as', e.g. plot test_acc as acc, or give its number"
            : "plot names: \(names.prefix(8).joined(separator: ", "))")
        error("unknown plot '\(text)'", item.range, hint: hint)
        ok = false
      }
    }
    return ok ? out : nil
  }
}
