import ArgumentParser
import DSL

/// The subcommands of `kernel` (Jupyter's `install` lands with the kernel protocol).
enum KernelSubcommands {
  static let all: [any ParsableCommand.Type] = []
}

/// Starts the Jupyter kernel on a connection file; returns the exit status.
func startJupyterKernel(connectionFile: String) -> Int32 {
  StdIO.stderr("error: the Jupyter protocol is not part of this build yet; use --script\n")
  return 2
}
