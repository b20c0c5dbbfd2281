import ArgumentParser
import Foundation

/// `kernel install`: writes this kernel's kernelspec so Jupyter frontends can start it.
struct InstallCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "install",
    abstract: "Install the kernelspec (kernel.json and logos).",
    discussion: """
      Writes <data dir>/kernels/<name>/ with four files:
        kernel.json     argv [<this executable>, "-f", "{connection_file}"],
                        display_name, language nndsl, interrupt_mode message
        logo-svg.svg    logo for the JupyterLab launcher
        logo-32x32.png  small logo (tabs, menus)
        logo-64x64.png  larger logo, used where SVG is not

      <data dir> by location flag:
        (none)        /usr/local/share/jupyter (system-wide, needs root)
        --user        $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter,
                      else ~/.local/share/jupyter
        --sys-prefix  <sys.prefix>/share/jupyter of the active Python
                      environment: $VIRTUAL_ENV, $CONDA_PREFIX, or
                      python3's sys.prefix; only a Jupyter running from
                      that environment sees it
        --prefix P    P/share/jupyter; add that to JUPYTER_PATH unless it
                      is a standard location

      Check with `jupyter kernelspec list`. The executable's absolute path
      is recorded: install again after moving the binary.

      Highlighting in exports and papermill parameters come from the
      companion package, installed once into Jupyter's Python:
        python3 -m pip install <repository>/python/nndsl_jupyter
      """)

  @Flag(help: "Install for the current user.")
  var user = false

  @Flag(name: .customLong("sys-prefix"), help: "Install into the active Python environment.")
  var sysPrefix = false

  @Option(help: ArgumentHelp("Install under this prefix (P/share/jupyter/kernels).", valueName: "P"))
  var prefix: String?

  @Option(help: "Kernelspec name (letters, digits, '.', '_', '-').")
  var name = "nndsl"

  @Option(name: .customLong("display-name"), help: "Name shown in frontends.")
  var displayName = "NN DSL"

  @Option(help: ArgumentHelp("Kernel executable to record (default: this one).", valueName: "path"))
  var executable: String?

  func validate() throws {
    let chosen = [user, sysPrefix, prefix != nil].filter { $0 }.count
    if chosen > 1 { throw ValidationError("choose at most one of --user, --sys-prefix, --prefix") }
    if !KernelSpecInstaller.isValidName(name) {
      throw ValidationError(KernelSpecError.invalidName(name).description)
    }
  }

  func run() throws {
    let prefixPath = try prefix.map(KernelCommand.resolved)
    let location: KernelSpecLocation =
      user ? .user : sysPrefix ? .sysPrefix : prefixPath.map { .prefix($0) } ?? .system
    guard
      let exe = try executable.map(KernelCommand.resolved).map(KernelSpecInstaller.absolute)
        ?? KernelSpecInstaller.currentExecutable()
    else {
      throw ValidationError(KernelSpecError.executableUnknown.description)
    }
    let installer = KernelSpecInstaller(name: name, displayName: displayName, executable: exe)
    do {
      let dir = try installer.install(at: location)
      print("Installed kernelspec \(name) in \(dir)")
      // Installing needs no libzmq, running as a Jupyter kernel does: say so now, not when
      // Jupyter reports a dead kernel.
      if case .failure(let error) = ZMQLibrary.shared {
        FileHandle.standardError.write(
          Data(
            "warning: Jupyter will not be able to start this kernel here: \(error.description)\n".utf8))
      }
    } catch {
      FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
      throw ExitCode(1)
    }
  }
}
