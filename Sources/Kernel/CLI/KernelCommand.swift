import ArgumentParser
import DSL
import Foundation

/// The `kernel` executable: a Jupyter kernel for the training language, and its script runner.
@main
struct KernelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernel",
    abstract: "A Jupyter kernel whose language is a small training DSL (Fashion-MNIST studies).",
    discussion: """
      Run a script:            kernel --script notebooks/study.nb [--out DIR] [--keep-going] [--png]
      Check a script only:     kernel --script exp.nb --check
      Start as a Jupyter kernel (Jupyter does this through the installed kernelspec):
                               kernel -f CONNECTION_FILE
      Install the kernelspec:  kernel install --user
      Language reference: docs/language.md, or `help` inside the language.
      Exit status: 0 success; 1 a cell failed (diagnostics or a runtime error); 2 unreadable script;
      64 wrong command-line usage.
      """,
    version: DSLInfo.version,
    subcommands: KernelSubcommands.all
  )

  @Option(name: .long, help: ArgumentHelp("Run a script file cell by cell (cells separated by `# %%` lines).", valueName: "file"))
  var script: String?

  @Option(name: .long, help: ArgumentHelp("Directory for the script's charts (SVG), tables (CSV), reports and exports (default: out/<script name>).", valueName: "dir"))
  var out: String?

  @Flag(name: .long, help: "Keep running later cells after a cell fails (the exit status is still 1).")
  var keepGoing = false

  @Flag(name: .long, help: "Also write each chart as PNG beside its SVG (needs cairo and librsvg).")
  var png = false

  @Flag(name: .long, help: "Only check the script (syntax, names, types, ranges); run nothing.")
  var check = false

  @Option(name: [.customShort("f"), .customLong("connection-file")], help: ArgumentHelp("Start as a Jupyter kernel with this connection file.", valueName: "file"))
  var connectionFile: String?

  func validate() throws {
    if script != nil && connectionFile != nil {
      throw ValidationError("give either --script or -f/--connection-file, not both")
    }
    if script == nil && (out != nil || keepGoing || check || png) {
      throw ValidationError("--out, --keep-going, --png and --check only apply to --script")
    }
  }

  func run() throws {
    // Checked here, not in validate(): ArgumentParser validates the root for subcommands too.
    if script == nil && connectionFile == nil {
      throw ValidationError("nothing to do: give --script FILE to run a script, -f FILE to start as a Jupyter kernel, or a subcommand (see --help)")
    }
    if let script {
      var runner = ScriptRunner(path: script, outputDirectory: out, keepGoing: keepGoing, checkOnly: check)
      runner.png = png
      let code = runner.run()
      if code != 0 { throw ExitCode(code) }
      return
    }
    if let connectionFile {
      let code = startJupyterKernel(connectionFile: connectionFile)
      if code != 0 { throw ExitCode(code) }
    }
  }
}
