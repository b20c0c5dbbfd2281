/// A checked statement, ready for the session to execute.
enum Command: Sendable, Equatable {
  /// `load fashion [dir=…] [train=N] [test=N]`.
  case load(LoadArgs)
  /// `model 784-128-relu-10`.
  case model(ModelSpecSyntax)
  /// `set PARAM=VALUE ... [executor=local|slurm]`: session defaults.
  case set(TrainParams, executor: ExecutorName? = nil)
  /// `set store="PATH"|off|default`: the run store.
  case store(StoreSetting)
  /// `train [...] [executor=…] [as NAME]`; a nil name becomes `run<k>` (smallest unused k ≥ 1);
  /// a nil executor is the session's.
  case train(TrainParams, name: String?, executor: ExecutorName? = nil)
  /// `sweep PARAM=V1,V2 ... [as PREFIX]`.
  case sweep(SweepArgs)
  /// `eval [RUN] [on=test|train]`; nil run = the last run.
  case eval(run: String?, split: Split)
  /// `runs`.
  case runs
  /// `drop RUN ...`: removes runs (and their stored data).
  case drop(runs: [String])
  /// `rename OLD NEW`.
  case rename(from: String, to: String)
  /// `show [RUN] [agg=mean|sum]`; nil = the last run; agg picks the δ² columns of its epochs.
  case show(run: String?, agg: Aggregate = .mean)
  /// `compare [RUN ...] [baseline=RUN]`; empty runs = all.
  case compare(runs: [String], baseline: String?)
  /// `plot METRIC [RUN ...] [layer=N] [per=…] [log=…] [agg=…] [seeds=…] [as NAME]`.
  case plot(PlotArgs)
  /// `plots`: the plots made so far, with their numbers and names.
  case plots
  /// `device`: backend information.
  case device
  /// `env`: environment information.
  case env
  /// `help [TOPIC]`.
  case help(topic: String?)
  /// `report [file=…] [format=html|md|pdf] [paper=a4|letter] [plots=…] [force=on|off]`; nil plots =
  /// the standard P1/P2/P3 charts; force replaces a read-only file.
  case report(
    file: String?, format: ReportFormat?, paper: PaperSize? = nil, plots: [PlotRef]? = nil, force: Bool = false)
  /// `title "…"`, `author "…"`, `course "…"`: a line of the report's title block ("" clears it).
  case titleLine(TitleLine, String)
  /// `text [SECTION] "…"`: the student's own words for a report section ("" removes them).
  case text(ReportPart, String)
  /// `export [RUN ...] [file=…] [format=csv|json] [force=on|off]`; force replaces a read-only file.
  case export(runs: [String], file: String?, format: ExportFormat?, force: Bool = false)
  /// `print ITEM ... [to=stdout|stderr]`.
  case print(items: [PrintItem], stream: OutputStreamName)
  /// `get REF`.
  case get(Reference)
  /// `clear`.
  case clear
  /// `exit` or `quit`: ends the session (see `Session.exitRequested`).
  case exit
  /// `slurm [OPTION=VALUE ...]`: merges the session's Slurm options; none shows them.
  case slurm(SlurmOptions)
  /// `jobs`: the Slurm jobs of this store.
  case jobs
  /// `attach [JOB]`: follows a job in flight or collects a finished one; nil = the latest.
  case attach(job: String?)
  /// `resubmit [JOB]`: submits the failed, cancelled and missing runs of a job again; nil = the latest.
  case resubmit(job: String?)
}

/// A command together with the range of its statement.
struct CheckedCommand: Sendable, Equatable {
  /// The command.
  var command: Command
  /// Where its statement is.
  var range: SourceRange
}

/// Arguments of `load`.
struct LoadArgs: Sendable, Equatable {
  /// The data set, normalised (`fashion`).
  var dataset: String
  /// An explicit directory holding the IDX files.
  var directory: String?
  /// Use only the first N training examples.
  var trainLimit: Int?
  /// Use only the first N test examples.
  var testLimit: Int?

  /// Creates load arguments.
  init(dataset: String, directory: String? = nil, trainLimit: Int? = nil, testLimit: Int? = nil) {
    self.dataset = dataset
    self.directory = directory
    self.trainLimit = trainLimit
    self.testLimit = testLimit
  }
}

/// A checked model spec such as `784-128-relu-10`.
struct ModelSpecSyntax: Sendable, Equatable {
  /// Layer widths, input first (at least 2).
  var widths: [Int]
  /// `activations[i]` follows `widths[i]` (`relu`, `tanh`, `sigmoid` or nil); the last is nil.
  var activations: [String?]
  /// The spec as written.
  var text: String
}

/// One list-valued parameter of a sweep.
struct SweepAxis: Sendable, Equatable {
  /// The parameter swept.
  var param: TrainParam
  /// Each value's literal text as written (used for run names).
  var literals: [String]
  /// Each value as a TrainParams with only `param` set.
  var values: [TrainParams]
}

/// Arguments of `sweep`.
struct SweepArgs: Sendable, Equatable {
  /// The list-valued parameters in source order (first axis varies slowest).
  var axes: [SweepAxis]
  /// The scalar parameters, applied to every run.
  var base: TrainParams
  /// The `as` prefix.
  var prefix: String?
  /// The generated run names, in run order.
  var runNames: [String]
  /// Per run: `base` merged with that run's combination (nil fields still inherit from `set`).
  var runParams: [TrainParams]
  /// Where the runs train; nil = the session's executor.
  var executor: ExecutorName?

  /// Creates sweep arguments.
  init(
    axes: [SweepAxis], base: TrainParams, prefix: String?, runNames: [String], runParams: [TrainParams],
    executor: ExecutorName? = nil
  ) {
    self.executor = executor
    self.axes = axes
    self.base = base
    self.prefix = prefix
    self.runNames = runNames
    self.runParams = runParams
  }
}

/// The data split `eval` uses.
enum Split: String, CaseIterable, Sendable {
  /// The test set.
  case test
  /// The training set.
  case train
}

/// The x axis granularity of a plot.
enum Granularity: String, CaseIterable, Sendable {
  /// One point per epoch.
  case epoch
  /// One point per optimisation step (grad_sq and train_loss only).
  case step
}

/// The file format of `report`.
enum ReportFormat: String, CaseIterable, Sendable {
  /// A standalone HTML page.
  case html
  /// Markdown.
  case markdown = "md"
  /// A paginated PDF.
  case pdf
}

/// The page size of a PDF report.
enum PaperSize: String, CaseIterable, Sendable {
  /// ISO A4, 210 × 297 mm.
  case a4
  /// US Letter, 8.5 × 11 in.
  case letter
}

/// The file format of `export`.
enum ExportFormat: String, CaseIterable, Sendable {
  /// Comma-separated values, one row per run.
  case csv
  /// JSON with runs and their histories.
  case json
}

/// Where `print` writes.
enum OutputStreamName: String, CaseIterable, Sendable {
  /// Standard output.
  case stdout
  /// Standard error.
  case stderr
}

/// A metric that `plot` draws.
enum Metric: String, CaseIterable, Sendable {
  /// Training loss.
  case trainLoss = "train_loss"
  /// Test loss.
  case testLoss = "test_loss"
  /// Training accuracy.
  case trainAcc = "train_acc"
  /// Test accuracy.
  case testAcc = "test_acc"
  /// Training and test loss together.
  case loss
  /// Training and test accuracy together.
  case accuracy
  /// δ² at a Linear layer's output.
  case gradSq = "grad_sq"
  /// L2 norm of a Linear layer's weights.
  case weightNorm = "weight_norm"
  /// L2 norm of a Linear layer's weight gradient.
  case gradNorm = "grad_norm"
  /// Seconds per epoch.
  case epochTime = "epoch_time"
  /// Bars of train_s against total_s per run.
  case times

  /// Whether `per=step` is allowed.
  var allowsSteps: Bool { self == .gradSq || self == .trainLoss }
  /// Whether `layer=N` is allowed.
  var usesLayer: Bool { self == .gradSq || self == .weightNorm || self == .gradNorm }
}

/// A field of a run, for references and help.
enum RunField: String, CaseIterable, Sendable {
  /// Final test accuracy.
  case testAcc = "test_acc"
  /// Best test accuracy over the epochs.
  case bestTestAcc = "best_test_acc"
  /// Final training accuracy.
  case trainAcc = "train_acc"
  /// Final training loss.
  case trainLoss = "train_loss"
  /// Final test loss.
  case testLoss = "test_loss"
  /// Seconds in the training loops.
  case trainS = "train_s"
  /// Seconds for the whole statement.
  case totalS = "total_s"
  /// Optimisation steps per second of train_s.
  case stepsPerS = "steps_per_s"
  /// finished, diverged, interrupted or failed.
  case status
  /// Epochs.
  case epochs
  /// Batch size.
  case batch
  /// Learning rate.
  case lr
  /// Optimizer.
  case opt
  /// Momentum.
  case momentum
  /// Weight decay.
  case weightDecay = "weight_decay"
  /// Seed.
  case seed
  /// Gradient zeroing.
  case zeroGrad = "zero_grad"
  /// Device used.
  case device
}

/// A value reference in `print` and `get`.
enum Reference: Sendable, Equatable {
  /// A session default (`epochs`).
  case setting(TrainParam)
  /// A run's field (`baseline.test_acc`).
  case runField(run: String, field: RunField)
}

/// One item of `print`.
enum PrintItem: Sendable, Equatable {
  /// A string.
  case text(String)
  /// A number with its literal as written.
  case number(Double, literal: String)
  /// A reference, resolved when the statement runs.
  case reference(Reference)
}

/// Arguments of `plot`.
struct PlotArgs: Sendable, Equatable {
  /// What to draw.
  var metric: Metric
  /// Runs to draw; empty = all runs.
  var runs: [String]
  /// The Linear layer (1-based) for grad_sq (default 1), weight_norm and grad_norm (nil = all).
  var layer: Int?
  /// Per epoch or per step.
  var per: Granularity
  /// Log y axis; nil = the renderer decides.
  var logScale: Bool?
  /// grad_sq per epoch: the mean or the sum over the epoch's steps.
  var agg: Aggregate
  /// Runs that differ only in their seed: one mean line with a ± sd band, or one line each.
  var seeds: SeedDrawing
  /// The plot's name for `report plots=…` (`as NAME`).
  var name: String?

  /// Creates plot arguments.
  init(
    metric: Metric, runs: [String] = [], layer: Int? = nil, per: Granularity = .epoch, logScale: Bool? = nil,
    agg: Aggregate = .mean, seeds: SeedDrawing = .mean, name: String? = nil
  ) {
    self.metric = metric
    self.runs = runs
    self.layer = layer
    self.per = per
    self.logScale = logScale
    self.agg = agg
    self.seeds = seeds
    self.name = name
  }
}
