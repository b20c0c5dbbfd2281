/// The catalog's entries for the Slurm executor: `executor=` and the statements `slurm`, `jobs`,
/// `attach` and `resubmit`.
extension HelpCatalog {
  /// `executor=` of set, train and sweep: where runs train (not a training parameter: it does not
  /// change results).
  static let executorParam = ParamHelp(
    name: "executor", type: "one of local, slurm", defaultValue: "local (or the session's set executor=)",
    range: "local | slurm",
    meaning: "where the runs train: local (in this kernel) or slurm (one Slurm job array, options "
      + "from the slurm statement; see 'help slurm')",
    example: "executor=slurm", choices: ExecutorName.allCases.map(\.rawValue))

  /// The job ids `attach` and `resubmit` take.
  static let jobParam = ParamHelp(
    name: "JOB", type: "Slurm job id", defaultValue: "the latest job", range: "a job of `jobs`",
    meaning: "the job array", example: "attach 4711", positional: true)

  /// How help writes an integer option's bounds.
  private static func slurmRange(_ option: SlurmOptionName) -> String { option.bounds?.shown ?? "" }

  static let clusterStatements: [StatementHelp] = [
    StatementHelp(
      name: "slurm",
      syntax: "slurm [partition=NAME] [time=MINUTES|\"D-HH:MM:SS\"] [cpus=N] [gpus=N] [mem=\"4G\"] "
        + "[account=NAME] [qos=NAME] [sbatch=\"ARGS\"] [pack=N] [parallel=N] [spool=\"DIR\"]",
      summary: "set the Slurm options of executor=slurm",
      details:
        "train and sweep with executor=slurm (or after set executor=slurm) submit their runs as "
        + "one Slurm job array through sbatch; every task runs this kernel binary on pack runs, "
        + "and the results come back into the session and the run store like local runs. The "
        + "options are merged like set: a later slurm statement changes only what it names. "
        + "slurm alone shows the options and whether sbatch and the controller answer.",
      params: [
        ParamHelp(
          name: "partition", type: "name", defaultValue: "the cluster's default", range: "a partition of the cluster",
          meaning: "the partition (--partition)", example: "partition=gpu"),
        ParamHelp(
          name: "time", type: "minutes or string", defaultValue: "the partition's limit",
          range: slurmRange(.time) + " | \"D-HH:MM:SS\", \"HH:MM:SS\", \"MM:SS\", \"D-HH\"",
          meaning: "time limit per array task (--time)", example: "time=30"),
        ParamHelp(
          name: "cpus", type: "integer", defaultValue: "1", range: slurmRange(.cpus),
          meaning: "CPUs per task (--cpus-per-task); give threads= the same number to use them", example: "cpus=4"),
        ParamHelp(
          name: "gpus", type: "integer", defaultValue: "0", range: slurmRange(.gpus),
          meaning: "GPUs per task (--gpus-per-task); device=auto then trains on the GPU", example: "gpus=1"),
        ParamHelp(
          name: "mem", type: "string", defaultValue: "the partition's default",
          range: "N with an optional K, M, G or T",
          meaning: "memory per node (--mem)", example: "mem=\"4G\""),
        ParamHelp(
          name: "account", type: "name", defaultValue: "your default account", range: "an account of the cluster",
          meaning: "the account charged (--account)", example: "account=course42"),
        ParamHelp(
          name: "qos", type: "name", defaultValue: "the default QoS", range: "a QoS of the cluster",
          meaning: "the quality of service (--qos)", example: "qos=short"),
        ParamHelp(
          name: "sbatch", type: "string", defaultValue: "none", range: "sbatch options",
          meaning: "extra sbatch arguments, split like a shell line", example: "sbatch=\"--constraint=a100\""),
        ParamHelp(
          name: "pack", type: "integer", defaultValue: "1", range: slurmRange(.pack),
          meaning: "runs per array task, trained one after the other (clusters prefer few larger tasks)",
          example: "pack=4"),
        ParamHelp(
          name: "parallel", type: "integer", defaultValue: "no cap", range: slurmRange(.parallel),
          meaning: "the most array tasks running at once (--array=0-K%N)", example: "parallel=8"),
        ParamHelp(
          name: "spool", type: "string", defaultValue: ".nndsl/slurm beside the run store",
          range: "a directory every node can read and write",
          meaning: "where each job's manifest, batch script, logs, progress and results are written",
          example: "spool=\"/shared/me/nndsl\""),
      ],
      examples: [
        "slurm", "slurm partition=gpu time=60 gpus=1 mem=\"8G\"", "slurm pack=4 parallel=8 time=\"0-02:00:00\"",
      ]),
    StatementHelp(
      name: "jobs", syntax: "jobs", summary: "list the Slurm jobs of this run store",
      details:
        "One row per job submitted from this store (also by earlier kernels): job id, cluster, "
        + "when it was submitted, its runs, how many are pending, running, done and failed, and "
        + "its spool directory.",
      params: [], examples: ["jobs"]),
    StatementHelp(
      name: "attach", syntax: "attach [JOB]", summary: "follow a Slurm job or collect its results",
      details:
        "A job still in flight is followed with live status until it ends (as when it was "
        + "submitted); the results of a finished job are imported into the session and the run "
        + "store. Without JOB: the latest job. Works after a kernel restart: the job ids are in "
        + "the run store.",
      params: [jobParam], examples: ["attach", "attach 4711"]),
    StatementHelp(
      name: "resubmit", syntax: "resubmit [JOB]", summary: "submit the failed runs of a Slurm job again",
      details:
        "Submits the runs of JOB that failed, were cancelled or interrupted, or left no result as "
        + "a new job array (with the current slurm options over the job's own) and follows it. "
        + "Runs that finished are kept. Without JOB: the latest job.",
      params: [
        {
          var job = jobParam
          job.meaning = "the job array whose failed runs to submit"
          job.example = "resubmit 4711"
          return job
        }()
      ],
      examples: ["resubmit", "resubmit 4711"]),
  ]
}
