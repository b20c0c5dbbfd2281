import ArgumentParser
import DSL

/// The subcommands of `kernel`.
enum KernelSubcommands {
  static let all: [any ParsableCommand.Type] = [InstallCommand.self, VocabularyCommand.self]
}

/// Starts the Jupyter kernel on a connection file; returns the exit status.
func startJupyterKernel(connectionFile: String) -> Int32 {
  JupyterKernel.run(connectionFile: connectionFile, interpreter: DSLInterpreter())
}
