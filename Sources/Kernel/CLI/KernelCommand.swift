import ArgumentParser
import DSL
import Foundation

/// The `kernel` executable: a Jupyter kernel for the training language, and its script runner.
@main
struct KernelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kernel",
    abstract: "A Jupyter kernel for a training language (Fashion-MNIST studies).",
    // Every line fits 80 columns and every option's help 54 (the column ArgumentParser leaves
    // it), so the help never wraps inside a command or a phrase (CLIHelpTests).
    discussion: """
      Run a script:        kernel --script exp.nb [--out DIR] [--keep-going] [--png]
                           (charts as SVG, tables as CSV, reports, exports: --out)
      Read it from stdin:  kernel --script - < exp.nb
      Check only:          kernel --script exp.nb --check
      As a Jupyter kernel: kernel -f CONNECTION_FILE
                           (Jupyter starts it through the installed kernelspec)
      Install it:          kernel install --user
      Language reference:  docs/language.md, or `help` inside the language
      Exit status:         0 success; 1 a cell failed (diagnostics or runtime);
                           2 unreadable script; 64 wrong command-line usage
      """,
    version: "\(DSLInfo.version) (\(BuildInfo.configuration) build)",
    subcommands: KernelSubcommands.all
  )

  @Option(name: .long, help: ArgumentHelp("Run a script cell by cell; `-` reads it from stdin.", valueName: "file"))
  var script: String?

  @Option(name: .long, help: ArgumentHelp("Output folder (default: out/NAME for script NAME.nb).", valueName: "dir"))
  var out: String?

  @Flag(name: .long, help: "Run later cells after a failed one (exit status 1).")
  var keepGoing = false

  @Flag(name: .long, help: "Also write charts as PNG (needs cairo, librsvg).")
  var png = false

  @Flag(name: .long, help: "Check only (syntax, names, values, data, model).")
  var check = false

  @Option(
    name: [.customShort("f"), .customLong("connection-file")],
    help: ArgumentHelp("Start as a Jupyter kernel with this connection file.", valueName: "file"))
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
      throw ValidationError(
        "nothing to do: give --script FILE to run a script, -f FILE to start as a Jupyter "
          + "kernel, or a subcommand (see --help)")
    }
    if let script {
      var runner = ScriptRunner(
        path: try Self.resolved(script), outputDirectory: try out.map(Self.resolved), keepGoing: keepGoing,
        checkOnly: check)
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

  /// A command-line path through the shared resolution (`~`, `~user`; NUL refused); a relative
  /// path stays relative, so messages show it as typed.
  static func resolved(_ path: String) throws -> String {
    do {
      _ = try UserPaths.resolve(path)
      return try UserPaths.expandTilde(path)
    } catch {
      throw ValidationError(error.description)
    }
  }
}
