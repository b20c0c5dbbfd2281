import ArgumentParser
import DSL
import Foundation

/// The subcommands of `kernel`.
enum KernelSubcommands {
  static let all: [any ParsableCommand.Type] = [InstallCommand.self, VocabularyCommand.self, SlurmTaskCommand.self]
}

/// Starts the Jupyter kernel on a connection file; returns the exit status.
func startJupyterKernel(connectionFile: String) -> Int32 {
  // Jupyter starts a kernel in its notebook's directory: the default run store lives there.
  let session = Session()
  session.storeDirectory = FileManager.default.currentDirectoryPath
  return JupyterKernel.run(connectionFile: connectionFile, interpreter: DSLInterpreter(session: session))
}
