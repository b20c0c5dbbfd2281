/// The checks of the Slurm executor: `executor=` of set/train/sweep, `slurm`, `attach`, `resubmit`.
extension Checker {
  /// The `executor=` of a statement: absent (value nil) or local/slurm; nil after an error.
  struct ExecutorChoice {
    var value: ExecutorName?
  }

  mutating func executorArgument(_ args: Arguments) -> ExecutorChoice? {
    guard let v = args.value("executor") else { return ExecutorChoice(value: nil) }
    guard let item = single(v, "'executor'"), let e = choice(item, "executor", ExecutorName.self) else { return nil }
    return ExecutorChoice(value: e)
  }

  /// `slurm [partition=…] [time=…] [cpus=N] [gpus=N] [mem=…] [account=…] [qos=…] [sbatch=…] [pack=N]
  /// [parallel=N] [spool=…]`.
  mutating func checkSlurm(_ s: StatementSyntax, _ args: Arguments) -> Command? {
    if let first = args.positional.first {
      error(
        "'slurm' takes OPTION=VALUE pairs, found '\(first.items[0].text)'", first.range,
        hint: "e.g. slurm partition=gpu time=60 gpus=1")
      return nil
    }
    var options = SlurmOptions()
    var ok = true
    for (name, value) in args.named {
      guard let item = single(value, "'\(name.text)'") else {
        ok = false
        continue
      }
      // collect() admits only the catalog's parameter names, which are the options' names.
      guard let option = SlurmOptionName(rawValue: name.text) else {
        ok = false
        continue
      }
      let text = item.stringValue
      switch option {
      case .partition, .account, .qos:
        guard slurmName(item, name.text) else {
          ok = false
          continue
        }
        if option == .partition { options.partition = text }
        if option == .account { options.account = text }
        if option == .qos { options.qos = text }
      case .time:
        if case .number = item.kind {
          guard let minutes = slurmInteger(item, .time) else {
            ok = false
            continue
          }
          options.time = String(minutes)
        } else if SlurmOptions.isTimeLimit(text) {
          options.time = text
        } else {
          error(
            "invalid time limit '\(text)': expected minutes or \"D-HH:MM:SS\"", item.range,
            hint: "e.g. time=30 or time=\"1-00:00:00\" (also HH:MM:SS, MM:SS, D-HH)")
          ok = false
        }
      case .cpus:
        if let n = slurmInteger(item, .cpus) { options.cpus = n } else { ok = false }
      case .gpus:
        if let n = slurmInteger(item, .gpus) { options.gpus = n } else { ok = false }
      case .pack:
        if let n = slurmInteger(item, .pack) { options.pack = n } else { ok = false }
      case .parallel:
        if let n = slurmInteger(item, .parallel) {
          options.parallel = n
        } else {
          ok = false
        }
      case .mem:
        if SlurmOptions.isMemory(text) {
          options.mem = text
        } else {
          error(
            "invalid memory size '\(text)': expected a number with an optional K, M, G or T", item.range,
            hint: "e.g. mem=\"4G\" or mem=\"500M\"")
          ok = false
        }
      case .sbatch:
        guard case .string(let extra) = item.kind else {
          error(
            "'sbatch' takes its extra arguments in quotes", item.range,
            hint: "e.g. sbatch=\"--constraint=a100 --exclusive\"")
          ok = false
          continue
        }
        options.sbatch = extra
      case .spool:
        guard case .string(let path) = item.kind, !path.isEmpty else {
          error("'spool' takes a directory in quotes", item.range, hint: "e.g. spool=\"/shared/me/nndsl-spool\"")
          ok = false
          continue
        }
        options.spool = path
      }
    }
    return ok ? .slurm(options) : nil
  }

  /// An integer option within its bounds (`SlurmOptionName.bounds`).
  private mutating func slurmInteger(_ item: ScalarSyntax, _ option: SlurmOptionName) -> Int? {
    guard let bounds = option.bounds else { return nil }
    return integer(item, option.rawValue, bounds.range, shown: bounds.shown)
  }

  /// A partition, account or QoS name: one word without blanks.
  private mutating func slurmName(_ item: ScalarSyntax, _ name: String) -> Bool {
    let text = item.stringValue
    guard !text.isEmpty, !text.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else {
      error("'\(name)' must be one name without blanks, found '\(item.text)'", item.range)
      return false
    }
    return true
  }

  /// The optional job id of `attach` and `resubmit`: digits, as sbatch printed them. The outer
  /// nil is an error; the inner nil means "the latest job".
  mutating func checkJobReference(_ s: StatementSyntax, _ args: Arguments) -> String?? {
    if tooMany(s, args, max: 1, what: "at most one job id") { return nil }
    guard let value = args.positional.first else { return .some(nil) }
    guard let item = single(value, "'\(s.keyword.text)'") else { return nil }
    let text = item.stringValue
    guard case .number = item.kind, !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
      error("'\(text)' is not a Slurm job id", item.range, hint: "a job id is a number; `jobs` lists the jobs")
      return nil
    }
    return .some(text)
  }
}
