import ArgumentParser
import DSL
import Foundation

/// `kernel slurm-task SPOOL` (hidden): what each task of a Slurm job array runs. It trains the
/// runs of task `$SLURM_ARRAY_TASK_ID` (or `--task N`) of the job whose files are in SPOOL.
struct SlurmTaskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "slurm-task",
    abstract: "Train the runs of one Slurm array task (run by the job's batch script).",
    shouldDisplay: false)

  @Argument(help: ArgumentHelp("The job's spool directory.", valueName: "spool"))
  var spool: String

  @Option(name: .long, help: "The array task (default: $SLURM_ARRAY_TASK_ID).")
  var task: Int?

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    guard let task = task ?? environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) else {
      throw ValidationError("no task: give --task N or run it as a Slurm array task (SLURM_ARRAY_TASK_ID)")
    }
    let code = SlurmTask.run(spool: spool, task: task, environment: environment, log: { StdIO.stdout($0 + "\n") })
    if code != 0 { throw ExitCode(code) }
  }
}
