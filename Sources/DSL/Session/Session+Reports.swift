import Foundation
import NN

extension Session {
  /// `runs`: one line per run.
  func runsTable() -> Table {
    var g = Table(
      title: "Runs",
      columns: [
        ("run", false), ("model", false), ("batch", true), ("lr", true), ("opt", false),
        ("zero_grad", false), ("epochs", true), ("test acc", true), ("train_s", true), ("status", false),
        ("started", false),
      ])
    for r in runs {
      g.add([
        .text(r.name), .text(r.model.description), .integer(r.config.batch), .text(TrainParam.lr.text(r.config)),
        .text(TrainParam.opt.text(r.config)), .text(TrainParam.zeroGrad.text(r.config)),
        .text("\(r.epochs.count)/\(r.config.epochs)"),
        r.epochs.last.map { .percent($0.testAccuracy, 2) } ?? .missing,
        .seconds(r.trainSeconds), .text(statusText(r)), .text(startedText(r.name)),
      ])
    }
    if runs.isEmpty { g.footnotes.append("no runs yet: `train` makes one") }
    g.footnotes.append(storeSummary())
    return g
  }

  /// `show`: the resolved configuration and the per-epoch history of one run.
  func show(run name: String?, agg: Aggregate = .mean, _ ctx: RunContext) throws {
    let r = try run(named: name)
    var config = Table(title: "Run \(r.name)", columns: [("field", false), ("value", false)])
    config.add([.text("statement"), .text(runSources[r.name] ?? "")])
    config.add([.text("model"), .text(r.model.description)])
    for f in TrainParam.allCases { config.add([.text(f.rawValue), .text(f.text(r.config))]) }
    config.add([.text("status"), .text(r.status.description)])
    config.add([.text("backend"), .text(r.backend)])
    config.add([.text("device"), .text(r.deviceName)])
    config.add([.text("train_s"), .seconds(r.trainSeconds)])
    config.add([.text("total_s"), .seconds(r.totalSeconds)])
    config.add([.text("steps/s"), .fixed(r.stepsPerSecond, 0)])
    for (field, value) in storeFacts(r) { config.add([.text(field), .text(value)]) }
    for note in r.notes { config.add([.text("note"), .text(note)]) }
    ctx.emit(.table(config))
    ctx.emit(.table(epochTable(r, agg: agg)))
  }

  /// The per-epoch history of a run; δ² per Linear layer as the mean per step or the epoch's sum.
  func epochTable(_ r: RunRecord, agg: Aggregate = .mean) -> Table {
    var columns: [(String, Bool)] = [
      ("epoch", true), ("train loss", true), ("train acc", true), ("test loss", true), ("test acc", true),
    ]
    for i in 0..<r.model.linearCount { columns.append(("δ² L\(i + 1) \(agg.rawValue)", true)) }
    for i in 0..<r.model.linearCount { columns.append(("‖W\(i + 1)‖", true)) }
    columns.append(("seconds", true))
    var g = Table(title: "\(r.name): per epoch", columns: columns)
    for e in r.epochs {
      var row: [Table.Cell] = [
        .integer(e.epoch), .fixed(e.trainLoss, 4), .percent(e.trainAccuracy, 2), .fixed(e.testLoss, 4),
        .percent(e.testAccuracy, 2),
      ]
      row += (agg == .mean ? e.gradSqMean : e.gradSqSum).map { .scientific($0, 3) }
      row += e.weightNorms.map { .fixed($0, 3) }
      row.append(.seconds(e.seconds))
      g.add(row)
    }
    g.footnotes.append(
      "δ² = Σ over batch and units of (∂E/∂s)² at the output s of each Linear layer, "
        + (agg == .mean ? "mean over the epoch's steps" : "summed over the epoch's steps")
        + "; E = mean cross-entropy of the batch")
    return g
  }

  /// `compare`: one row per run against a baseline.
  func compare(_ names: [String], baseline: String?, _ ctx: RunContext) throws {
    let selected = try selectRuns(names)
    guard !selected.isEmpty else {
      throw SessionError.runtime("there are no runs to compare", hint: "train some runs first")
    }
    let base: RunRecord
    if let baseline {
      base = try run(named: baseline)
    } else {
      base = runs.first(where: { $0.name == "baseline" }) ?? selected[0]
    }
    ctx.emit(.table(compareTable(selected, baseline: base)))
    if let groups = seedGroupTable(selected, baseline: base) { ctx.emit(.table(groups)) }
  }

  /// Runs that differ only in their seed, grouped: mean ± population standard deviation per group.
  /// Nil when no two selected runs share a configuration.
  func seedGroupTable(_ selected: [RunRecord], baseline base: RunRecord) -> Table? {
    let multi = seedGroups(selected).filter { $0.count > 1 }
    guard !multi.isEmpty else { return nil }
    var g = Table(
      title: "Seed groups: mean ± standard deviation over seeds",
      columns: [
        ("runs", false), ("seeds", false), ("changes vs \(base.name)", false), ("train_s", true),
        ("total_s", true), ("train loss", true), ("train acc %", true), ("test acc %", true),
        ("best test acc %", true),
      ])
    for members in multi {
      /// Mean ± population standard deviation of a per-run value over the group.
      func spread(_ digits: Int, _ f: (RunRecord) -> Double?) -> Table.Cell {
        let xs = members.compactMap(f)
        guard !xs.isEmpty else { return .missing }
        let (mean, sd) = meanAndSD(xs)
        return .number(mean, .meanSpread(sd, digits))
      }
      var first = members[0]
      first.config.seed = base.config.seed
      let row: [Table.Cell] = [
        .text(members.map(\.name).joined(separator: ", ")),
        .text(members.map { String($0.config.seed) }.joined(separator: ",")),
        .text(changes(first, from: base)),
        spread(2) { $0.trainSeconds },
        spread(2) { $0.totalSeconds },
        spread(4) { $0.epochs.last?.trainLoss },
        spread(2) { $0.epochs.last.map { $0.trainAccuracy * 100 } },
        spread(2) { $0.epochs.last.map { $0.testAccuracy * 100 } },
        spread(2) { $0.epochs.map(\.testAccuracy).max().map { $0 * 100 } },
      ]
      g.rows.append(row)
    }
    g.footnotes.append("spread: population standard deviation over the group's seeds")
    return g
  }

  /// The comparison table (also used by the report).
  func compareTable(_ selected: [RunRecord], baseline base: RunRecord, title: String? = nil) -> Table {
    var g = Table(
      title: title ?? "Comparison against \(base.name)",
      columns: [
        ("run", false), ("changes vs \(base.name)", false), ("train_s", true), ("total_s", true),
        ("train loss", true), ("train acc", true), ("test acc", true), ("best test acc", true), ("status", false),
      ])
    for r in selected {
      let last = r.epochs.last
      g.add([
        .text(r.name), .text(r.name == base.name ? "(baseline)" : changes(r, from: base)),
        .seconds(r.trainSeconds), .seconds(r.totalSeconds),
        last.map { .fixed($0.trainLoss, 4) } ?? .missing,
        last.map { .percent($0.trainAccuracy, 2) } ?? .missing,
        last.map { .percent($0.testAccuracy, 2) } ?? .missing,
        r.epochs.map(\.testAccuracy).max().map { .percent($0, 2) } ?? .missing,
        .text(r.status.description),
      ])
    }
    g.footnotes.append(
      "train_s: training loops only (batch assembly, forward, backward, update); "
        + "total_s: the whole train statement (model build, data, training, evaluation, metrics)")
    return g
  }

  /// The parameters in which `r` differs from `base`, as `key=value` text ("none" when equal).
  func changes(_ r: RunRecord, from base: RunRecord) -> String {
    var parts: [String] = []
    if r.model != base.model { parts.append("model=\(r.model)") }
    for f in TrainParam.allCases where f.text(r.config) != f.text(base.config) {
      parts.append("\(f.rawValue)=\(f.text(r.config))")
    }
    return parts.isEmpty ? "none" : parts.joined(separator: " ")
  }

  /// `eval`: loss, accuracy and per-class accuracy of a run's final weights.
  func evaluate(run name: String?, split: Split, _ ctx: RunContext) throws {
    let r = try run(named: name)
    guard let data = dataset else {
      throw SessionError.runtime("no data set is loaded", hint: "run `load fashion` first")
    }
    let nnSplit: DataSplit = split == .train ? .train : .test
    let e: Evaluation
    do {
      e = try Evaluator.evaluate(model: r.model, parameters: try parameters(of: r), data: data, split: nnSplit)
    } catch let error as SessionError {
      throw error
    } catch {
      throw SessionError.runtime("\(error)", hint: nil)
    }
    var g = Table(
      title: "\(r.name) on the \(split == .train ? "train" : "test") split: "
        + "loss \(NumberFormatting.fixed(e.loss, 4)), accuracy \(NumberFormatting.fixed(e.accuracy * 100, 2))%",
      columns: [("class", true), ("name", false), ("accuracy", true), ("examples", true)])
    for (k, acc) in e.perClassAccuracy.enumerated() {
      let count = k < e.confusion.count ? e.confusion[k].reduce(0, +) : 0
      g.add([
        .integer(k), .text(k < fashionClassNames.count ? fashionClassNames[k] : "class \(k)"),
        .percent(acc, 2), .integer(count),
      ])
    }
    ctx.emit(.table(g))
  }

  /// The text of one `print` item.
  func printText(_ item: PrintItem) throws -> String {
    switch item {
    case .text(let s): return s
    case .number(_, let literal): return literal
    case .reference(let r):
      // Printed for a reader: as the tables show it, else 6 significant digits (`get` and
      // exports keep every digit).
      let text = try valueText(of: r)
      if case .runField(_, let field) = r, let style = field.displayStyle, let x = Double(text) {
        return Table.NumberStyle.format(x, style)
      }
      if Int(text) == nil, let x = Double(text), x.isFinite { return String(format: "%.6g", x) }
      return text
    }
  }

  /// `get`: the value of a reference as the cell's result.
  func value(of reference: Reference) throws -> OutputValue {
    makeValue(try valueText(of: reference))
  }

  /// The text of a reference: a session default or a field of a run.
  func valueText(of reference: Reference) throws -> String {
    switch reference {
    case .setting(let param):
      return param.text(resolve(TrainParams()))
    case .runField(let name, let field):
      let r = try run(named: name)
      return runFieldText(r, field)
    }
  }

  /// One field of a run as text.
  func runFieldText(_ r: RunRecord, _ field: RunField) -> String {
    let last = r.epochs.last
    func num(_ x: Double?) -> String { x.map { NumberFormatting.roundTrip($0) } ?? "nan" }
    switch field {
    case .testAcc: return num(last?.testAccuracy)
    case .bestTestAcc: return num(r.epochs.map(\.testAccuracy).max())
    case .trainAcc: return num(last?.trainAccuracy)
    case .trainLoss: return num(last?.trainLoss)
    case .testLoss: return num(last?.testLoss)
    case .trainS: return num(r.trainSeconds)
    case .totalS: return num(r.totalSeconds)
    case .stepsPerS: return num(r.stepsPerSecond)
    case .status: return r.status.description
    case .epochs: return String(r.epochs.count)
    case .batch: return TrainParam.batch.text(r.config)
    case .lr: return TrainParam.lr.text(r.config)
    case .opt: return TrainParam.opt.text(r.config)
    case .momentum: return TrainParam.momentum.text(r.config)
    case .weightDecay: return TrainParam.weightDecay.text(r.config)
    case .seed: return TrainParam.seed.text(r.config)
    case .zeroGrad: return TrainParam.zeroGrad.text(r.config)
    case .device: return TrainParam.device.text(r.config)
    }
  }
}

/// Fashion-MNIST's class names, by label.
let fashionClassNames = [
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]
