import Testing

@testable import DSL

/// The Slurm executor's statements and `executor=` as the checker turns them into commands.
let clusterCommandCases: [CommandCase] = [
  CommandCase("train executor=slurm as remote", .train(TrainParams(), name: "remote", executor: .slurm)),
  CommandCase("train lr=0.01 executor=local", .train(params { $0.lr = 0.01 }, name: nil, executor: .local)),
  CommandCase("set executor=slurm", .set(TrainParams(), executor: .slurm)),
  CommandCase("set epochs=2 executor=local", .set(params { $0.epochs = 2 }, executor: .local)),
  CommandCase("slurm", .slurm(SlurmOptions())),
  CommandCase(
    "slurm partition=gpu time=60 cpus=4 gpus=1 mem=\"8G\" account=course qos=short "
      + "sbatch=\"--exclusive\" pack=3 parallel=8 spool=\"/shared/s\"",
    .slurm(
      {
        var o = SlurmOptions()
        o.partition = "gpu"
        o.time = "60"
        o.cpus = 4
        o.gpus = 1
        o.mem = "8G"
        o.account = "course"
        o.qos = "short"
        o.sbatch = "--exclusive"
        o.pack = 3
        o.parallel = 8
        o.spool = "/shared/s"
        return o
      }())),
  CommandCase(
    "slurm time=\"1-00:00:00\" mem=500M",
    .slurm(
      {
        var o = SlurmOptions()
        o.time = "1-00:00:00"
        o.mem = "500M"
        return o
      }())),
  CommandCase(
    "slurm time=0:30:00",
    .slurm(
      {
        var o = SlurmOptions()
        o.time = "0:30:00"
        return o
      }())),
  CommandCase("jobs", .jobs),
  CommandCase("attach", .attach(job: nil)),
  CommandCase("attach 4711", .attach(job: "4711")),
  CommandCase("resubmit", .resubmit(job: nil)),
  CommandCase("resubmit 12", .resubmit(job: "12")),
]

@Test func sweepTakesAnExecutor() {
  let result = Frontend.check("sweep lr=0.01,1e-3 seed=0,1 executor=slurm as g", context: CheckContext())
  #expect(result.diagnostics == [])
  guard case .sweep(let sweep)? = result.commands.first?.command else {
    Issue.record("no sweep")
    return
  }
  #expect(sweep.executor == .slurm)
  #expect(sweep.runNames == ["g_lr0p01_seed0", "g_lr0p01_seed1", "g_lr1e-3_seed0", "g_lr1e-3_seed1"])
  #expect(sweep.runParams.allSatisfy { $0.lr != nil && $0.seed != nil })
}

struct ClusterErrorCase: Sendable, CustomTestStringConvertible {
  var source: String
  var message: String
  var testDescription: String { source }
}

@Test(arguments: [
  ClusterErrorCase(
    source: "train executor=cloud", message: "invalid value 'cloud' for 'executor': expected one of: local, slurm"),
  ClusterErrorCase(source: "sweep lr=0.1,0.01 executor=local,slurm", message: "'executor' takes one value, not a list"),
  ClusterErrorCase(source: "slurm gpu", message: "'slurm' takes OPTION=VALUE pairs, found 'gpu'"),
  ClusterErrorCase(source: "slurm partitoin=gpu", message: "unknown parameter 'partitoin' for 'slurm'"),
  ClusterErrorCase(source: "slurm time=1h", message: "invalid time limit '1h': expected minutes or \"D-HH:MM:SS\""),
  ClusterErrorCase(source: "slurm time=0", message: "'time' must be in 1...52_560_000 minutes, found 0"),
  ClusterErrorCase(
    source: "slurm mem=4GB", message: "invalid memory size '4GB': expected a number with an optional K, M, G or T"),
  ClusterErrorCase(source: "slurm pack=0", message: "'pack' must be in 1...1000, found 0"),
  ClusterErrorCase(source: "slurm parallel=1.5", message: "'parallel' expects an integer, found '1.5'"),
  ClusterErrorCase(source: "slurm gpus=-1", message: "'gpus' must be in 0...64, found -1"),
  ClusterErrorCase(source: "slurm sbatch=--exclusive", message: "'sbatch' takes its extra arguments in quotes"),
  ClusterErrorCase(source: "slurm spool=dir", message: "'spool' takes a directory in quotes"),
  ClusterErrorCase(
    source: "slurm partition=\"a b\"", message: "'partition' must be one name without blanks, found '\"a b\"'"),
  ClusterErrorCase(source: "attach job7", message: "'job7' is not a Slurm job id"),
  ClusterErrorCase(source: "resubmit 1 2", message: "too many arguments for 'resubmit': it takes at most one job id"),
  ClusterErrorCase(source: "jobs all", message: "'jobs' takes no arguments"),
  ClusterErrorCase(source: "set store=off executor=slurm", message: "'store=' goes in a 'set' statement of its own"),
])
func clusterStatementErrors(_ c: ClusterErrorCase) {
  let result = Frontend.check(c.source, context: CheckContext())
  #expect(result.commands.isEmpty)
  #expect(result.diagnostics.first?.message == c.message)
}
