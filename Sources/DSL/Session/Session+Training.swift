import Foundation
import NN

extension Session {
  /// `load`: reads the data set (uint8, kept in memory) and optionally keeps only a prefix.
  func load(_ args: LoadArgs, _ ctx: RunContext) throws {
    let start = Date()
    let full: Dataset
    // A data directory is input: relative to the working directory, like the script path itself.
    let directory = try args.directory.map { try resolvedPath($0, relativeTo: nil) }
    do {
      full = try DataSource.loadFashionMNIST(
        directory: directory, environment: environment, shouldStop: ctx.shouldStop)
    } catch DataError.interrupted(let path) {
      throw SessionError.interrupted("loading was interrupted while reading \(path); no data set was loaded")
    } catch {
      throw SessionError.runtime("\(error)", hint: nil)
    }
    let data = full.subset(train: args.trainLimit, test: args.testLimit)
    dataset = data
    let seconds = Date().timeIntervalSince(start)
    let megabytes = Double((data.trainCount + data.testCount) * (data.inputWidth + 1)) / 1_048_576
    var text = "loaded Fashion-MNIST from \(data.source): \(data.trainCount) train and \(data.testCount) test images"
    text += " (\(data.inputWidth) pixels, \(data.classes) classes, uint8, \(NumberFormatting.fixed(megabytes, 1)) MB)"
    text += " in \(NumberFormatting.fixed(seconds, 2)) s\n"
    ctx.emit(.text(text))
    if let model, model.inputWidth != data.inputWidth || model.layers.last?.width != data.classes {
      ctx.emit(
        .stderr(
          "warning: the current model \(model) does not fit this data set "
            + "(\(data.inputWidth) inputs, \(data.classes) classes)\n"))
    }
  }

  /// `model`: builds the NN model spec from the checked syntax and validates it against the data.
  func setModel(_ syntax: ModelSpecSyntax, _ ctx: RunContext) throws {
    guard syntax.widths.count >= 2 else {
      throw SessionError.runtime("a model needs at least an input and an output width", hint: nil)
    }
    if let first = syntax.activations.first, first != nil {
      throw SessionError.runtime("an activation cannot follow the input width", hint: nil)
    }
    var layers: [ModelSpec.Layer] = []
    for i in 1..<syntax.widths.count {
      let name = i < syntax.activations.count ? syntax.activations[i] : nil
      var activation: Activation? = nil
      if let name {
        guard let a = Activation(rawValue: name) else {
          throw SessionError.runtime("unknown activation '\(name)'", hint: "expected relu, tanh or sigmoid")
        }
        activation = a
      }
      layers.append(ModelSpec.Layer(width: syntax.widths[i], activation: activation))
    }
    let spec = ModelSpec(inputWidth: syntax.widths[0], layers: layers)
    if let data = dataset { try checkFits(spec, data) }
    model = spec
    let count = spec.parameterCount
    let kb = Double(count * 4) / 1024
    ctx.emit(
      .text(
        "model \(spec): \(spec.linearCount) Linear layers, \(grouped(count)) parameters"
          + " (\(NumberFormatting.fixed(kb, 0)) KB as Float32)\n"))
  }

  /// Refuses a model whose input or output width does not match the data set.
  func checkFits(_ spec: ModelSpec, _ data: Dataset) throws {
    let shape = DataShape(name: "model", inputs: spec.inputWidth, outputs: spec.layers.last?.width ?? data.classes)
    if let misfit = shape.misfit(on: DataShape(data)) {
      throw SessionError.runtime(misfit.message, hint: misfit.hint)
    }
  }

  /// `set`: merges new defaults and shows the full resolved configuration.
  func applyDefaults(_ params: TrainParams, _ ctx: RunContext) {
    defaults = params.merged(over: defaults)
    let c = resolve(TrainParams())
    ctx.emit(.text("defaults: \(describe(c))\n"))
  }

  /// The full configuration of a run: its own parameters over the session defaults over the baseline.
  func resolve(_ params: TrainParams) -> TrainConfig {
    params.merged(over: defaults).config(over: TrainConfig())
  }

  /// `key=value` text of every training parameter of a configuration.
  func describe(_ c: TrainConfig) -> String {
    TrainParam.allCases.map { "\($0.rawValue)=\($0.text(c))" }.joined(separator: " ")
  }

  /// `train`: resolves the configuration, picks the device, trains, and keeps the run.
  /// An automatic name that another session took meanwhile becomes the next free one.
  func train(_ params: TrainParams, name requested: String, automaticName: Bool = false, _ ctx: RunContext) throws {
    guard let data = dataset else {
      throw SessionError.runtime("no data set is loaded", hint: "run `load fashion` first")
    }
    guard let spec = model else {
      throw SessionError.runtime("no model is defined", hint: "define one first, e.g. `model 784-128-relu-10`")
    }
    try checkFits(spec, data)
    let config = resolve(params)
    let started = Date()
    let trainer: Trainer
    do {
      // The engine picks the device (device=auto falls back to the CPU with a note).
      trainer = try Trainer(model: spec, config: config, data: data)
    } catch TrainError.deviceUnavailable(let why) {
      throw SessionError.runtime(
        why, hint: "use device=auto to fall back to the CPU, or device=cpu; `device` shows why")
    } catch {
      throw SessionError.runtime("\(error)", hint: nil)
    }
    for note in trainingNotes(config, setupNotes: trainer.setupNotes) { notice(note, ctx) }
    let writer = try beginStoring(
      name: requested, automatic: automaticName, spec: spec, config: config, data: data, ctx)
    let name = writer.name
    var throttle = ProgressThrottle()
    let epochs = config.epochs
    var record = trainer.run(
      name: name,
      progress: { p in
        let endOfEpoch = p.step == p.stepsPerEpoch
        let admitted = throttle.admit(endOfEpoch: endOfEpoch)
        guard admitted.pass else { return }
        let done = Double((p.epoch - 1) * p.stepsPerEpoch + p.step)
        let total = Double(p.epochs * p.stepsPerEpoch)
        let eta = done > 0 ? p.elapsed * (total - done) / done : 0
        ctx.progress(
          ProgressUpdate(
            run: name, epoch: p.epoch, epochs: epochs, step: p.step, stepsPerEpoch: p.stepsPerEpoch,
            loss: p.runningLoss, accuracy: p.runningAccuracy, elapsed: p.elapsed, eta: eta,
            endOfEpoch: endOfEpoch, refreshesDisplay: admitted.due))
      },
      epochEnded: writer.epochEnded,
      shouldStop: ctx.shouldStop)
    record.totalSeconds = Date().timeIntervalSince(started)
    runs.append(record)
    runSources[name] = ctx.statement
    finishStoring(writer, record: record, statement: ctx.statement, ctx)
    ctx.emit(.text(summary(record) + "\n"))
    // After every GPU run: the evidence that the GPU really trained (kernels, memory, device).
    if let evidence = record.gpuEvidence { ctx.emit(.text("  \(evidence.note)\n")) }
    switch record.status {
    case .finished: break
    case .diverged:
      ctx.emit(.stderr("warning: run '\(name)' \(record.status); its history is kept, later statements still run\n"))
    case .interrupted:
      throw SessionError.interrupted("run '\(name)' \(record.status); the partial run is kept")
    }
  }

  /// One line summarising a finished, diverged or interrupted run.
  func summary(_ r: RunRecord) -> String {
    let last = r.epochs.last
    var s = "\(r.name): \(r.status), \(r.epochs.count)/\(r.config.epochs) epochs"
    if let last {
      s +=
        ", train loss \(NumberFormatting.fixed(last.trainLoss, 4)), train acc "
        + "\(NumberFormatting.fixed(last.trainAccuracy * 100, 2))%"
      s += ", test acc \(NumberFormatting.fixed(last.testAccuracy * 100, 2))%"
    }
    s += "; train_s \(NumberFormatting.fixed(r.trainSeconds, 2)), total_s \(NumberFormatting.fixed(r.totalSeconds, 2))"
    s += ", \(NumberFormatting.fixed(r.stepsPerSecond, 0)) steps/s on \(r.backend)"
    return s
  }
}

/// An integer with thousands separators: 101770 → "101,770".
func grouped(_ n: Int) -> String {
  let digits = Array(String(abs(n)))
  var out = ""
  for (i, d) in digits.enumerated() {
    if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
    out.append(d)
  }
  return n < 0 ? "-" + out : out
}

extension DataShape {
  /// The shape of a loaded data set, as the checker sees it.
  init(_ data: Dataset) {
    self.init(name: data.name, inputs: data.inputWidth, outputs: data.classes)
  }
}
