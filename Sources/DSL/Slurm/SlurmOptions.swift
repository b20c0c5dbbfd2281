import Foundation

/// The session's Slurm options (`slurm partition=… time=… …`); nil means "not given".
struct SlurmOptions: Sendable, Equatable, Codable {
  /// `--partition`.
  var partition: String?
  /// `--time`: minutes, or Slurm's `D-HH:MM:SS` forms, as written.
  var time: String?
  /// `--cpus-per-task`.
  var cpus: Int?
  /// `--gpus-per-task`.
  var gpus: Int?
  /// `--mem` (per node), e.g. `4G`.
  var mem: String?
  /// `--account`.
  var account: String?
  /// `--qos`.
  var qos: String?
  /// Extra `sbatch` arguments, as one shell-like string.
  var sbatch: String?
  /// Runs per array task (default 1).
  var pack: Int?
  /// The most array tasks running at once (`--array=0-K%N`).
  var parallel: Int?
  /// The shared directory of the spool files (default `.nndsl/slurm` beside the run store).
  var spool: String?

  /// No options given.
  init() {}

  /// These options with every nil field taken from `base`.
  func merged(over base: SlurmOptions) -> SlurmOptions {
    var out = self
    out.partition = partition ?? base.partition
    out.time = time ?? base.time
    out.cpus = cpus ?? base.cpus
    out.gpus = gpus ?? base.gpus
    out.mem = mem ?? base.mem
    out.account = account ?? base.account
    out.qos = qos ?? base.qos
    out.sbatch = sbatch ?? base.sbatch
    out.pack = pack ?? base.pack
    out.parallel = parallel ?? base.parallel
    out.spool = spool ?? base.spool
    return out
  }

  /// Whether no option is given.
  var isEmpty: Bool { self == SlurmOptions() }

  /// Runs per task, at least 1.
  var runsPerTask: Int { max(1, pack ?? 1) }

  /// Each option and its value as text, in the statement's order (nil: not given).
  var entries: [(option: SlurmOptionName, value: String?)] {
    SlurmOptionName.allCases.map { option in
      switch option {
      case .partition: return (option, partition)
      case .time: return (option, time)
      case .cpus: return (option, cpus.map(String.init))
      case .gpus: return (option, gpus.map(String.init))
      case .mem: return (option, mem)
      case .account: return (option, account)
      case .qos: return (option, qos)
      case .sbatch: return (option, sbatch)
      case .pack: return (option, pack.map(String.init))
      case .parallel: return (option, parallel.map(String.init))
      case .spool: return (option, spool)
      }
    }
  }

  /// Whether `text` is a Slurm time limit: minutes, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`,
  /// `D-HH:MM:SS` (or `UNLIMITED`/`INFINITE`).
  static func isTimeLimit(_ text: String) -> Bool {
    if ["unlimited", "infinite"].contains(text.lowercased()) { return true }
    func number(_ s: Substring) -> Bool {
      !s.isEmpty && s.count <= 6 && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber)
    }
    var rest = Substring(text)
    if let dash = rest.firstIndex(of: "-") {
      guard number(rest[..<dash]) else { return false }
      rest = rest[rest.index(after: dash)...]
    }
    let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.allSatisfy(number), (1...3).contains(parts.count) else { return false }
    return true
  }

  /// Whether `text` is a memory size as `--mem` takes it: digits with an optional K, M, G or T.
  static func isMemory(_ text: String) -> Bool {
    var digits = Substring(text)
    if let last = digits.last, "KMGTkmgt".contains(last) { digits = digits.dropLast() }
    return !digits.isEmpty && digits.count <= 12 && digits.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// Splits extra sbatch arguments like a shell: blanks separate words, quotes group them.
  static func words(_ text: String) -> [String] {
    var out: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    for c in text {
      if let q = quote {
        if c == q { quote = nil } else { current.append(c) }
      } else if c == "\"" || c == "'" {
        quote = c
        inWord = true
      } else if c == " " || c == "\t" || c == "\n" {
        if inWord { out.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(c)
        inWord = true
      }
    }
    if inWord { out.append(current) }
    return out
  }

  /// The `sbatch` arguments of a job array of `tasks` tasks whose files live in `spool`.
  func sbatchArguments(jobName: String, tasks: Int, spool: String, script: String) -> [String] {
    var args = ["--parsable", "--job-name=\(jobName)"]
    let last = max(0, tasks - 1)
    if let parallel { args.append("--array=0-\(last)%\(parallel)") } else { args.append("--array=0-\(last)") }
    args.append("--output=\(spool)/logs/%A_%a.out")
    args.append("--chdir=\(spool)")
    if let partition { args.append("--partition=\(partition)") }
    if let time { args.append("--time=\(time)") }
    if let cpus { args.append("--cpus-per-task=\(cpus)") }
    if let gpus, gpus > 0 { args.append("--gpus-per-task=\(gpus)") }
    if let mem { args.append("--mem=\(mem)") }
    if let account { args.append("--account=\(account)") }
    if let qos { args.append("--qos=\(qos)") }
    if let sbatch { args += Self.words(sbatch) }
    args.append(script)
    return args
  }
}

/// Which runs array task `task` trains when each task trains `pack` of `count` runs:
/// `[task*pack, min((task+1)*pack, count))`.
enum SlurmPacking {
  /// The number of array tasks for `count` runs.
  static func tasks(runs count: Int, pack: Int) -> Int {
    let p = max(1, pack)
    return (count + p - 1) / p
  }

  /// The run indices of `task`.
  static func runs(ofTask task: Int, pack: Int, count: Int) -> Range<Int> {
    let p = max(1, pack)
    let lo = min(count, max(0, task) * p)
    return lo..<min(count, lo + p)
  }

  /// The task that trains run `index`.
  static func task(ofRun index: Int, pack: Int) -> Int { index / max(1, pack) }
}

/// An option of the `slurm` statement, in the statement's order.
enum SlurmOptionName: String, CaseIterable {
  case partition, time, cpus, gpus, mem, account, qos, sbatch, pack, parallel, spool

  /// What it becomes on the sbatch command line, in words.
  var sbatchText: String {
    switch self {
    case .partition: return "--partition"
    case .time: return "--time"
    case .cpus: return "--cpus-per-task"
    case .gpus: return "--gpus-per-task"
    case .mem: return "--mem"
    case .account: return "--account"
    case .qos: return "--qos"
    case .sbatch: return "(as given)"
    case .pack: return "runs per task"
    case .parallel: return "--array=0-K%N"
    case .spool: return "spool directory"
    }
  }

  /// The values of an integer option (time: in minutes), for the checker and help; nil for the
  /// options that take text.
  var bounds: IntegerBounds? {
    switch self {
    case .time: return IntegerBounds(1...52_560_000, shown: "1...52_560_000 minutes")
    case .cpus: return IntegerBounds(1...4096, shown: "1...4096")
    case .gpus: return IntegerBounds(0...64, shown: "0...64")
    case .pack: return IntegerBounds(1...1000, shown: "1...1000")
    case .parallel: return IntegerBounds(1...100_000, shown: "1...100_000")
    case .partition, .mem, .account, .qos, .sbatch, .spool: return nil
    }
  }
}
