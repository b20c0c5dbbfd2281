/// The one catalog of statements, parameters, metrics and run fields behind help, completion,
/// inspection, the checker's parameter lists and docs/language.md's coverage test.
enum HelpCatalog {
  /// The training parameters shared by `set`, `train` and `sweep`, in `TrainParam` order, from
  /// the parameter table (`TrainParam.definition`).
  static let trainingParams: [ParamHelp] = TrainParam.allCases.map(\.definition.help)

  /// `set store=`: where runs are kept.
  static let storeParam = ParamHelp(
    name: "store", type: "quoted path, off or default", defaultValue: "default",
    range: "\"PATH\" | off | default",
    meaning: "the run store (SQLite file) later runs are written to: a path, off (memory only) or default "
      + "(\(StoreLocation.defaultRelativePath) next to the notebook or script, or $\(StoreLocation.environmentKey))",
    example: "store=\"runs.db\"", choices: ["off", "default"])

  /// The help entry of a training parameter.
  static func param(_ p: TrainParam) -> ParamHelp { p.definition.help }

  /// Every statement, in the order the overview lists them.
  /// `force=` of the statements that write files.
  static let forceParam = ParamHelp(
    name: "force", type: "on/off", defaultValue: "off", range: "on | off | true | false",
    meaning: "replace the file even when it is read-only (devices, FIFOs, sockets and directories are always refused)",
    example: "force=on", choices: ["on", "off"])

  static let statements: [StatementHelp] = baseStatements + clusterStatements

  /// The statements of one machine; the Slurm executor's follow (`HelpCatalog+Cluster.swift`).
  static let baseStatements: [StatementHelp] = [
    StatementHelp(
      name: "load", syntax: "load fashion [dir=\"PATH\"] [train=N] [test=N]",
      summary: "load the Fashion-MNIST data set",
      details:
        "Reads the IDX files from dir, else $FASHION_MNIST_DIR, a user cache or /usr/share/datasets/fashion-mnist. "
        + "train= and test= keep only the first N examples, for quick experiments.",
      params: [
        ParamHelp(
          name: "DATASET", type: "name", defaultValue: nil, range: "fashion | fashion-mnist",
          meaning: "the data set (fashion-mnist is an alias of fashion)", example: "load fashion",
          positional: true, choices: ["fashion", "fashion-mnist"]),
        ParamHelp(
          name: "dir", type: "string", defaultValue: nil, range: "a directory path (~ and ~user expand)",
          meaning: "directory holding the *-ubyte.gz files", example: "dir=\"/data/fashion\""),
        ParamHelp(
          name: "train", type: "integer", defaultValue: "60000", range: "1...60_000",
          meaning: "use only the first N training examples", example: "train=6000"),
        ParamHelp(
          name: "test", type: "integer", defaultValue: "10000", range: "1...10_000",
          meaning: "use only the first N test examples", example: "test=1000"),
      ],
      examples: ["load fashion", "load fashion train=6000 test=1000"]),
    StatementHelp(
      name: "model", syntax: "model SPEC",
      summary: "define the network as widths and activations",
      details:
        "SPEC lists layer widths (1...65536) joined by '-', with an optional activation (relu, tanh, sigmoid) "
        + "after a width. It must start and end with a width, have at least 2 widths, at most 32 Linear layers "
        + "and no two activations in a row. Fashion-MNIST needs 784 inputs and 10 outputs.",
      params: [
        ParamHelp(
          name: "SPEC", type: "model spec", defaultValue: nil,
          range: "WIDTH(-ACTIVATION)?-...-WIDTH", meaning: "widths and activations of the network",
          example: "model 784-128-relu-10", positional: true)
      ],
      examples: ["model 784-128-relu-10", "model 784-256-tanh-128-sigmoid-10"]),
    StatementHelp(
      name: "set", syntax: "set PARAM=VALUE ...",
      summary: "set session defaults for later train and sweep statements",
      details:
        "Every later run inherits these values unless it names the parameter itself. set store=... (alone in its "
        + "statement) chooses the run store; see 'help store'.",
      params: trainingParams + [storeParam, executorParam],
      examples: ["set epochs=10 seed=0 device=auto", "set store=\"runs.db\"", "set store=off", "set executor=slurm"]),
    StatementHelp(
      name: "train", syntax: "train [PARAM=VALUE ...] [as NAME]",
      summary: "train one run with the current model and data",
      details:
        "Unnamed parameters come from set, then from the defaults. Without 'as NAME' the run is called run1, run2, "
        + "... (the smallest number no run of the session or its store uses). Training 'as NAME' again replaces "
        + "the run NAME (a note says so), as re-running a notebook cell does. Run names are "
        + "[A-Za-z_][A-Za-z0-9_-]*, at most \(Checker.maxRunNameLength) characters.",
      params: trainingParams + [executorParam],
      examples: ["train batch=32 lr=1e-3 opt=adam as baseline", "train zero_grad=off as no_zero_grad"],
      acceptsName: true),
    StatementHelp(
      name: "sweep", syntax: "sweep PARAM=V1,V2[,...] [PARAM=V ...] [as PREFIX]",
      summary: "train one run per combination of list-valued parameters",
      details:
        "Runs the cartesian product of the lists (the first list varies slowest); scalar parameters apply to every "
        + "run. Each run is named by its axes as <param><value> joined by '_', with '.' in values written 'p' "
        + "(batch16, lr0p01, optsgd); with 'as P' the names are P_<that>, and a P that already ends with the "
        + "first parameter's name does not repeat it (sweep lr=0.01,1e-4 as lr: lr_0p01, lr_1e-4). Runs of those "
        + "names that exist already are replaced.",
      params: trainingParams + [executorParam],
      examples: [
        "sweep batch=16,64 as bs", "sweep lr=0.01,1e-4 opt=adam,sgd", "sweep lr=0.01,1e-3 seed=0,1,2 executor=slurm",
      ],
      acceptsName: true),
    StatementHelp(
      name: "eval", syntax: "eval [RUN] [on=test|train]",
      summary: "evaluate a run's final weights",
      details:
        "Computes loss and accuracy of the run's final weights on the chosen split. Stored runs keep their final "
        + "weights, so this works after a restart; a run cut short by a crash has none.",
      params: [
        ParamHelp(
          name: "RUN", type: "run name", defaultValue: "the last run", range: "an existing run",
          meaning: "the run to evaluate", example: "eval baseline", positional: true),
        ParamHelp(
          name: "on", type: "one of test, train", defaultValue: "test", range: "test | train",
          meaning: "the data split", example: "on=train", choices: Split.allCases.map(\.rawValue)),
      ],
      examples: ["eval", "eval baseline on=train"]),
    StatementHelp(
      name: "runs", syntax: "runs", summary: "list all runs",
      details:
        "One line per run with its name, status, parameters, headline results and when it started: the runs of "
        + "this session and of its run store (also those other notebooks and scripts wrote there).",
      params: [], examples: ["runs"]),
    StatementHelp(
      name: "drop", syntax: "drop RUN ...", summary: "delete runs",
      details:
        "Removes the runs from the session and from the run store, with their epochs, per-step series and weights.",
      params: [
        ParamHelp(
          name: "RUN", type: "run names", defaultValue: nil, range: "existing runs",
          meaning: "the runs to delete", example: "drop bs_batch16 bs_batch64", positional: true)
      ],
      examples: ["drop bs_batch16", "drop bs_batch16 bs_batch64"]),
    StatementHelp(
      name: "rename", syntax: "rename OLD NEW", summary: "rename a run",
      details: "Gives a run a new name, in the session and in the run store. NEW must not be taken.",
      params: [
        ParamHelp(
          name: "OLD", type: "run name", defaultValue: nil, range: "an existing run",
          meaning: "the run to rename", example: "rename lr_high fast", positional: true),
        ParamHelp(
          name: "NEW", type: "run name", defaultValue: nil, range: "a free run name",
          meaning: "its new name", example: "rename lr_high fast", positional: true),
      ],
      examples: ["rename lr_high fast"]),
    StatementHelp(
      name: "show", syntax: "show [RUN] [agg=mean|sum]", summary: "show one run in detail",
      details: "Parameters, per-epoch history, times and device evidence of a run. The history's δ² columns are "
        + "the mean per step, or with agg=sum the sum over the epoch's steps.",
      params: [
        ParamHelp(
          name: "RUN", type: "run name", defaultValue: "the last run", range: "an existing run",
          meaning: "the run to show", example: "show baseline", positional: true),
        ParamHelp(
          name: "agg", type: "one of mean, sum", defaultValue: "mean", range: "mean | sum",
          meaning: "δ² per epoch: mean per step or sum over the epoch's steps", example: "agg=sum",
          choices: Aggregate.allCases.map(\.rawValue)),
      ],
      examples: ["show", "show baseline", "show baseline agg=sum"]),
    StatementHelp(
      name: "compare", syntax: "compare [RUN ...] [baseline=RUN]",
      summary: "compare runs in a table against a baseline",
      details:
        "One row per run: what changed against the baseline, train_s, total_s, losses and accuracies. The baseline "
        + "defaults to the run named 'baseline', else the first run.",
      params: [
        ParamHelp(
          name: "RUN", type: "run names", defaultValue: "all runs", range: "existing runs",
          meaning: "the runs to compare", example: "compare baseline lr_high", positional: true),
        ParamHelp(
          name: "baseline", type: "run name", defaultValue: "baseline, else the first run",
          range: "an existing run", meaning: "the run the others are compared with",
          example: "baseline=sgd"),
      ],
      examples: ["compare", "compare baseline bs_batch16 bs_batch64 baseline=baseline"]),
    StatementHelp(
      name: "plot",
      syntax:
        "plot METRIC [RUN ...] [layer=N] [per=epoch|step] [log=on|off] [agg=mean|sum] [seeds=mean|each] [as NAME]",
      summary: "plot a metric of runs as an SVG chart",
      details:
        "One line per run (all runs by default). per=step is only for grad_sq and train_loss; layer= only for "
        + "grad_sq (default 1), weight_norm and grad_norm (default all layers); agg= only for grad_sq per epoch. "
        + "Runs that differ only in their seed (sweep seed=0,1,2) are drawn as their mean with a shaded ± sd "
        + "band unless seeds=each. Every plot is numbered in the session (see plots); 'as NAME' names it for "
        + "report plots=NAME, and a plot with a name already used replaces that plot.",
      params: [
        ParamHelp(
          name: "METRIC", type: "metric", defaultValue: nil, range: "see 'help metrics'",
          meaning: "what to plot", example: "plot test_acc", positional: true,
          choices: Metric.allCases.map(\.rawValue)),
        ParamHelp(
          name: "RUN", type: "run names", defaultValue: "all runs", range: "existing runs",
          meaning: "the runs to draw", example: "plot test_acc baseline sgd", positional: true),
        ParamHelp(
          name: "layer", type: "integer", defaultValue: "1 for grad_sq", range: "1...32",
          meaning: "the Linear layer (1 = first) for grad_sq, weight_norm, grad_norm",
          example: "layer=1"),
        ParamHelp(
          name: "per", type: "one of epoch, step", defaultValue: "epoch", range: "epoch | step",
          meaning: "one point per epoch or per step", example: "per=step",
          choices: Granularity.allCases.map(\.rawValue)),
        ParamHelp(
          name: "log", type: "on/off", defaultValue: "automatic", range: "on | off | true | false",
          meaning: "logarithmic y axis", example: "log=on", choices: ["on", "off"]),
        ParamHelp(
          name: "agg", type: "one of mean, sum", defaultValue: "mean", range: "mean | sum",
          meaning: "grad_sq per epoch: the mean or the sum of δ² over the epoch's steps", example: "agg=sum",
          choices: Aggregate.allCases.map(\.rawValue)),
        ParamHelp(
          name: "seeds", type: "one of mean, each", defaultValue: "mean", range: "mean | each",
          meaning: "runs differing only in seed: mean line with a ± sd band, or one line per run",
          example: "seeds=each", choices: SeedDrawing.allCases.map(\.rawValue)),
      ],
      examples: [
        "plot test_acc", "plot grad_sq layer=1 per=step log=on", "plot grad_sq baseline agg=sum as dsq_sum",
        "plot test_acc seeds=each",
      ],
      acceptsName: true),
    StatementHelp(
      name: "plots", syntax: "plots", summary: "list the plots made so far",
      details: "One line per plot of the session: its number, name, metric and runs; report plots=… takes these "
        + "numbers and names.",
      params: [], examples: ["plots"]),
    StatementHelp(
      name: "device", syntax: "device", summary: "show the backend and device in use",
      details: "GPU name, memory and driver, or the CPU backend and why the GPU is not used.",
      params: [], examples: ["device"]),
    StatementHelp(
      name: "env", syntax: "env", summary: "show the environment",
      details: "Operating system, CPU, threads, Swift and library versions, data location.",
      params: [], examples: ["env"]),
    StatementHelp(
      name: "help", syntax: "help [TOPIC]", summary: "show help",
      details:
        "Topics: a statement, a parameter, a metric, a run field, 'statements', 'parameters', 'metrics', 'fields' "
        + "or 'syntax'.",
      params: [
        ParamHelp(
          name: "TOPIC", type: "name", defaultValue: "overview", range: "see 'help'",
          meaning: "what to explain", example: "help sweep", positional: true)
      ],
      examples: ["help", "help train", "help grad_sq"]),
    StatementHelp(
      name: "report",
      syntax:
        "report [file=\"report.html\"] [format=html|md|pdf] [paper=a4|letter] [plots=all|N|NAME,...] [force=on|off]",
      summary: "write a report of the session",
      details:
        "The title block (title, author, course), environment, method, per-run changes, GPU evidence, then P1, P2 "
        + "and P3 with their tables, measured findings and plots, and the student's text where it was attached. "
        + "Without plots= each section has its standard charts; with plots= the chosen plots of the session "
        + "replace them, each in the section its metric and runs belong to (grad_sq in P2; grad_norm or runs "
        + "with zero_grad=off in P3; the rest in P1). The format follows the file extension (.html, .htm, .md, "
        + ".markdown, .pdf) when format= is omitted. A PDF is paginated (page numbers, tables split with their "
        + "header repeated, no heading left at a page foot, vector charts) and needs cairo, pango and librsvg "
        + "(Debian: \(GraphicsLibrary.packages)); HTML prints cleanly too.",
      params: [
        ParamHelp(
          name: "file", type: "string", defaultValue: "report.html", range: "a file path (~ and ~user expand)",
          meaning: "where to write", example: "file=\"report.pdf\""),
        ParamHelp(
          name: "format", type: "one of html, md, pdf", defaultValue: "from the extension, else html",
          range: "html | md | pdf", meaning: "the file format", example: "format=pdf",
          choices: ReportFormat.allCases.map(\.rawValue)),
        ParamHelp(
          name: "paper", type: "one of a4, letter", defaultValue: "a4",
          range: "a4 | letter", meaning: "the page size of a PDF (and of an HTML report when printed)",
          example: "paper=letter",
          choices: PaperSize.allCases.map(\.rawValue)),
        ParamHelp(
          name: "plots", type: "plot numbers or names", defaultValue: "the standard charts",
          range: "all, or numbers and names of plots (see plots)", meaning: "which of the session's plots go in",
          example: "plots=acc,3"),
        forceParam,
      ],
      examples: [
        "report", "report file=\"report.pdf\"", "report file=\"report.pdf\" paper=letter", "report file=\"study.md\"",
        "report plots=acc,3",
      ]),
    StatementHelp(
      name: "title", syntax: "title \"TEXT\"", summary: "set the report's title",
      details:
        "One line, at most \(TitleLine.maxLength) characters; the default is 'Training study report'. "
        + "A later title replaces it; title \"\" restores the default.",
      params: [
        ParamHelp(
          name: "TEXT", type: "string", defaultValue: "Training study report",
          range: "one line, ≤ \(TitleLine.maxLength) characters",
          meaning: "the title", example: "title \"Batch size, learning rate and gradient zeroing\"", positional: true)
      ],
      examples: ["title \"Batch size, learning rate and gradient zeroing\""]),
    StatementHelp(
      name: "author", syntax: "author \"TEXT\"", summary: "set the report's author line",
      details:
        "One line, at most \(TitleLine.maxLength) characters, shown under the title. "
        + "A later author replaces it; author \"\" removes it.",
      params: [
        ParamHelp(
          name: "TEXT", type: "string", defaultValue: "none", range: "one line, ≤ \(TitleLine.maxLength) characters",
          meaning: "the author line", example: "author \"Jane Doe (s1234567)\"", positional: true)
      ],
      examples: ["author \"Jane Doe (s1234567)\""]),
    StatementHelp(
      name: "course", syntax: "course \"TEXT\"", summary: "set the report's course line",
      details:
        "One line, at most \(TitleLine.maxLength) characters, shown under the author. "
        + "A later course replaces it; course \"\" removes it.",
      params: [
        ParamHelp(
          name: "TEXT", type: "string", defaultValue: "none", range: "one line, ≤ \(TitleLine.maxLength) characters",
          meaning: "the course line", example: "course \"Data Science 2, assignment 3\"", positional: true)
      ],
      examples: ["course \"Data Science 2, assignment 3\""]),
    StatementHelp(
      name: "text", syntax: "text [SECTION] \"TEXT\"",
      summary: "add your own words to a section of the report",
      details: "The text goes at the end of SECTION (after its tables, findings and plots; intro: right after the "
        + "title block; conclusion: its own section before the appendix); without SECTION it goes to intro. Use "
        + "\"\"\"…\"\"\" for several lines; a blank line starts a new paragraph, and line breaks inside a "
        + "paragraph read as spaces. Each section holds one text: a later text for the same section replaces it "
        + "(so re-running a cell does not repeat it), and text SECTION \"\" removes it. "
        + "At most \(grouped(ReportPart.maxTextLength)) characters.",
      params: [
        ParamHelp(
          name: "SECTION", type: "one of " + ReportPart.allCases.map(\.rawValue).joined(separator: ", "),
          defaultValue: "intro", range: ReportPart.allCases.map(\.rawValue).joined(separator: " | "),
          meaning: "the report section the text belongs to", example: "text p2 \"…\"", positional: true,
          choices: ReportPart.allCases.map(\.rawValue)),
        ParamHelp(
          name: "TEXT", type: "string", defaultValue: nil, range: "≤ \(grouped(ReportPart.maxTextLength)) characters",
          meaning: "your words, verbatim", example: "text \"We study …\"", positional: true),
      ],
      examples: [
        "text \"This report studies how batch size changes training time.\"",
        "text p2 \"\"\"\nδ² falls over the epochs.\n\"\"\"",
      ]),
    StatementHelp(
      name: "export", syntax: "export [RUN ...] [file=\"runs.csv\"] [format=csv|json] [force=on|off]",
      summary: "export runs to CSV or JSON",
      details:
        "CSV has one row per run; JSON also holds per-epoch histories. The format follows the extension when omitted.",
      params: [
        ParamHelp(
          name: "RUN", type: "run names", defaultValue: "all runs", range: "existing runs",
          meaning: "the runs to export", example: "export baseline sgd", positional: true),
        ParamHelp(
          name: "file", type: "string", defaultValue: "runs.csv", range: "a file path (~ and ~user expand)",
          meaning: "where to write", example: "file=\"runs.json\""),
        ParamHelp(
          name: "format", type: "one of csv, json", defaultValue: "from the extension, else csv",
          range: "csv | json", meaning: "the file format", example: "format=json",
          choices: ExportFormat.allCases.map(\.rawValue)),
        forceParam,
      ],
      examples: ["export", "export baseline file=\"base.json\""]),
    StatementHelp(
      name: "print", syntax: "print ITEM ... [to=stdout|stderr]",
      summary: "print strings, numbers and references",
      details: "Items are printed separated by spaces. A reference is RUN.FIELD or a setting name; run fields "
        + "print as the tables show them (test_acc 87.69%, losses with 4 decimals, seconds as durations), while "
        + "get keeps the plain value.",
      params: [
        ParamHelp(
          name: "ITEM", type: "string, number or reference", defaultValue: nil,
          range: "\"text\", 3.5, baseline.test_acc, epochs", meaning: "what to print",
          example: "print \"accuracy:\" baseline.test_acc", positional: true),
        ParamHelp(
          name: "to", type: "one of stdout, stderr", defaultValue: "stdout", range: "stdout | stderr",
          meaning: "the output stream", example: "to=stderr",
          choices: OutputStreamName.allCases.map(\.rawValue)),
      ],
      examples: ["print \"baseline:\" baseline.test_acc", "print epochs to=stderr"]),
    StatementHelp(
      name: "get", syntax: "get REF", summary: "return a value as the cell's result",
      details: "REF is RUN.FIELD (see 'help fields') or a setting name such as epochs.",
      params: [
        ParamHelp(
          name: "REF", type: "reference", defaultValue: nil, range: "RUN.FIELD or a setting",
          meaning: "the value to return", example: "get baseline.test_acc", positional: true)
      ],
      examples: ["get baseline.test_acc", "get epochs"]),
    StatementHelp(
      name: "clear", syntax: "clear", summary: "clear the cell's output so far",
      details: "Like Jupyter's clear_output: what the cell printed before is removed.",
      params: [], examples: ["clear"]),
    StatementHelp(
      name: "exit", syntax: "exit", summary: "end the session",
      details: "In jupyter console (and other consoles) the console closes and shuts the kernel down, as `exit` "
        + "does in IPython; in a script, the script stops here (its exit status is that of the cells before); a "
        + "notebook ignores the request (use its Kernel menu). Statements after `exit` in the same cell do not run.",
      params: [], examples: ["exit"]),
    StatementHelp(
      name: "quit", syntax: "quit", summary: "the same as exit",
      details: "Ends the session exactly as `exit` does.", params: [], examples: ["quit"]),
  ]

  /// What each metric means, in `Metric` order.
  static let metrics: [TopicHelp] = Metric.allCases.map { TopicHelp(name: $0.rawValue, summary: metricSummary($0)) }

  /// What each run field means, in `RunField` order.
  static let runFields: [TopicHelp] = RunField.allCases.map { TopicHelp(name: $0.rawValue, summary: fieldSummary($0)) }

  private static func metricSummary(_ m: Metric) -> String {
    switch m {
    case .trainLoss: return "training loss (mean cross-entropy) per epoch, or per step with per=step"
    case .testLoss: return "test loss per epoch"
    case .trainAcc: return "training accuracy per epoch"
    case .testAcc: return "test accuracy per epoch"
    case .loss: return "training and test loss together"
    case .accuracy: return "training and test accuracy together"
    case .gradSq:
      return "δ²: Σ (∂E/∂s)² over batch and units at the output s of Linear layer N (before its activation); per "
        + "epoch the mean over steps (agg=sum: the sum), or per step"
    case .weightNorm: return "L2 norm of a Linear layer's weights per epoch"
    case .gradNorm:
      return "L2 norm of a Linear layer's parameter gradient per epoch (shows accumulation when zero_grad=off)"
    case .epochTime: return "seconds per epoch"
    case .times: return "bars of train_s (training loops) against total_s (whole statement) per run"
    }
  }

  private static func fieldSummary(_ f: RunField) -> String {
    switch f {
    case .testAcc: return "final test accuracy (0...1)"
    case .bestTestAcc: return "best test accuracy over the epochs"
    case .trainAcc: return "final training accuracy"
    case .trainLoss: return "final training loss"
    case .testLoss: return "final test loss"
    case .trainS: return "seconds in the training loops (device synchronised)"
    case .totalS: return "seconds for the whole train statement"
    case .stepsPerS: return "optimisation steps per second of train_s"
    case .status: return "finished, diverged, interrupted or failed"
    case .epochs: return "epochs of the run"
    case .batch: return "batch size of the run"
    case .lr: return "learning rate of the run"
    case .opt: return "optimizer of the run"
    case .momentum: return "momentum of the run"
    case .weightDecay: return "weight decay of the run"
    case .seed: return "seed of the run"
    case .zeroGrad: return "gradient zeroing of the run (on/off)"
    case .device: return "device the run trained on"
    }
  }

  /// The lexical rules, for `help syntax`.
  static let syntax = """
    syntax
      A statement is a keyword, then positional values and/or name=value parameters, then optionally 'as NAME'.
      Statements end at a newline or ';'. '#' starts a comment to the end of the line.
      A backslash at the end of a line continues the statement on the next line.
      A line that is exactly '# %%' (optionally followed by a title) separates cells in a script file.
      Values: integers 32, 1_000, -1; numbers 0.001, 1e-3, 1_000.5 (write 0.5, not .5);
        strings "text" with escapes \\" \\\\ \\n \\t \\u{1F600}; multi-line strings \"\"\"…\"\"\" \
    (common indentation removed);
        words adam, on;
        lists 16,32,64 (spaces after commas allowed); booleans on, off, true, false.
      Run names: [A-Za-z_][A-Za-z0-9_-]*, at most 64 characters.
      References: RUN.FIELD (baseline.test_acc) or a setting name (epochs).
    """

  /// The run store, for `help store`.
  static let store = """
    store: where runs are kept
      Every run is written to an SQLite file as it trains: its statement, configuration, model, data set,
      status, device and GPU evidence, each epoch when it ends, the per-step series and the final weights.
      Runs survive kernel restarts and crashes (a run cut short shows as interrupted after its last stored
      epoch), and notebooks and scripts in one directory share their runs.
      Location: \(StoreLocation.defaultRelativePath) in the notebook's (or script's) directory; the environment
        variable \(StoreLocation.environmentKey)=PATH chooses another file, \
    \(StoreLocation.environmentKey)=off keeps runs in memory only.
      In a session: set store="PATH" (a file, or a directory for PATH/\(StoreLocation.fileName)), set store=off,
        set store=default.
      Re-running 'train ... as NAME' replaces NAME; drop RUN ... deletes runs; rename OLD NEW renames one.
      To start afresh, drop the runs, or delete the store file (and its -wal, -shm and -live files) while no
      kernel uses it.
    """

  /// Topic names `help` accepts besides statements, parameters, metrics and fields.
  static let groupTopics = ["statements", "parameters", "metrics", "fields", "syntax", "store"]

  /// Every topic name `help TOPIC` accepts, without duplicates, in catalog order.
  static var topics: [String] {
    var seen = Set<String>()
    var out: [String] = []
    let all =
      groupTopics + statements.map(\.name) + trainingParams.map(\.name) + [executorParam.name]
      + metrics.map(\.name) + runFields.map(\.name)
    for name in all where seen.insert(name).inserted { out.append(name) }
    return out
  }

  /// The statement entry for a keyword.
  static func statement(named name: String) -> StatementHelp? {
    statements.first { $0.name == name }
  }

  /// The help text of a topic; nil topic gives the overview, an unknown topic gives nil.
  static func text(for topic: String?) -> String? {
    guard let raw = topic else { return overview() }
    let name = String(
      raw.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed()
    ).lowercased()
    switch name {
    case "": return overview()
    case "statements": return overview()
    case "parameters", "params":
      return "training parameters (set, train, sweep)\n"
        + trainingParams.map { "  " + paramLine($0) }.joined(separator: "\n")
    case "metrics":
      return "metrics (plot METRIC)\n" + metrics.map { "  \(pad($0.name, 12)) \($0.summary)" }.joined(separator: "\n")
    case "fields", "run fields", "run_fields":
      return "run fields (RUN.FIELD in print and get)\n"
        + runFields.map { "  \(pad($0.name, 14)) \($0.summary)" }.joined(separator: "\n")
    case "syntax": return syntax
    case "store": return store
    default: break
    }
    var sections: [String] = []
    if let statement = statement(named: name) { sections.append(statementText(statement)) }
    if let param = trainingParams.first(where: { $0.name == name }) {
      sections.append("parameter " + paramLine(param) + "\n  used by: set, train, sweep")
    }
    if name == executorParam.name {
      sections.append("parameter " + paramLine(executorParam) + "\n  used by: set, train, sweep")
    }
    if let metric = metrics.first(where: { $0.name == name }) {
      sections.append("metric \(metric.name): \(metric.summary)\n  e.g. plot \(metric.name)")
    }
    if let field = runFields.first(where: { $0.name == name }) {
      sections.append("run field \(field.name): \(field.summary)\n  e.g. get baseline.\(field.name)")
    }
    return sections.isEmpty ? nil : sections.joined(separator: "\n\n")
  }

  /// The list of statements with their summaries.
  static func overview() -> String {
    var lines = ["statements (help STATEMENT for details; also help parameters, metrics, fields, syntax)"]
    for s in statements { lines.append("  \(pad(s.syntax, 58)) \(s.summary)") }
    return lines.joined(separator: "\n")
  }

  /// The full help of a statement.
  static func statementText(_ s: StatementHelp) -> String {
    var lines = ["\(s.name): \(s.summary)", "  syntax: \(s.syntax)", "  \(s.details)"]
    if !s.params.isEmpty {
      lines.append("  parameters:")
      for p in s.params { lines.append("    " + paramLine(p)) }
    }
    lines.append("  examples:")
    for e in s.examples { lines.append("    " + e) }
    return lines.joined(separator: "\n")
  }

  /// One line describing a parameter.
  static func paramLine(_ p: ParamHelp) -> String {
    let head = p.positional ? p.name : "\(p.name)="
    let defaultText = p.defaultValue.map { ", default \($0)" } ?? ""
    return "\(pad(head, 14)) \(p.meaning) (\(p.type); \(p.range)\(defaultText)); e.g. \(p.example)"
  }

  static func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
  }
}
