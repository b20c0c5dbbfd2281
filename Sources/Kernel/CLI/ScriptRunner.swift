import DSL
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Set by SIGINT: training stops at the next batch and the partial run is kept.
let scriptInterrupt = Atomic<Bool>(false)

/// Runs a script file cell by cell: text to stdout, diagnostics to stderr, charts and tables to files.
struct ScriptRunner {
  /// The script's path as given.
  let path: String
  /// The output directory (`--out`), or nil for out/<script name>.
  let outputDirectory: String?
  /// Run later cells after a failure.
  let keepGoing: Bool
  /// Check only; run nothing.
  let checkOnly: Bool
  /// Also write each chart as PNG beside its SVG.
  var png = false

  /// The script's name in messages: `<stdin>` for `-`.
  private var displayPath: String { path == "-" ? "<stdin>" : path }

  /// Runs the script; returns the exit status (0 ok, 1 a cell failed, 2 unreadable input).
  func run() -> Int32 {
    let source: String
    switch ScriptSource.read(path) {
    case .success(let text): source = text
    case .failure(let error):
      StdIO.stderr("error: \(error.message)\n")
      return 2
    }
    let cells = ScriptSplitter.cells(source)
    if source.allSatisfy({ $0.isWhitespace }) || cells.isEmpty {
      StdIO.stderr("note: \(displayPath) is empty: nothing to run\n")
      return 0
    }
    if checkOnly { return check(cells, source: source) }

    let stem = path == "-" ? "stdin" : ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    let outDir = outputDirectory ?? "out/\(stem.isEmpty ? "script" : stem)"
    let writer: ScriptOutputWriter
    do {
      var png = self.png
      if png, let reason = ScriptOutputWriter.pngUnavailable {
        StdIO.stderr("warning: --png: charts are written as SVG only: \(reason)\n")
        png = false
      }
      writer = try ScriptOutputWriter(directory: outDir, png: png)
    } catch {
      StdIO.stderr("error: cannot use output directory \(outDir): \(error)\n")
      return 2
    }
    let session = Session()
    session.outputDirectory = outDir
    session.storeDirectory = storeDirectory
    installInterruptHandler()
    let progress = ProgressPrinter()

    var failed = false
    cells: for (index, cell) in cells.enumerated() {
      if cells.count > 1 || cell.title != nil {
        let title = cell.title.map { ": \($0)" } ?? ""
        StdIO.stdout("── cell \(index + 1)/\(cells.count)\(title) (\(displayPath):\(cell.firstLine)) ──\n")
      }
      let outcome = session.execute(
        cell.text, firstLine: cell.firstLine, file: displayPath, source: source,
        emit: { item in
          progress.finishLine()
          show(item, writer: writer, cellIndex: index + 1)
        },
        progress: { progress.show($0) },
        shouldStop: { scriptInterrupt.load(ordering: .relaxed) })
      progress.finishLine()
      if case .failed(let error) = outcome {
        failed = true
        for block in error.traceback { StdIO.stderr(block.hasSuffix("\n") ? block : block + "\n") }
        switch error.kind {
        case .syntax:
          if error.traceback.count > 1 {
            StdIO.stderr("\(error.traceback.count) errors in cell \(index + 1); nothing in it ran\n")
          }
        case .interrupted:
          StdIO.stderr("interrupted: stopping the script\n")
          break cells
        case .runtime: break
        }
        if !keepGoing {
          StdIO.stderr("stopping at the first failing cell (cell \(index + 1)); use --keep-going to run the rest\n")
          break
        }
      }
      if session.exitRequested {
        if index + 1 < cells.count {
          StdIO.stdout("exit: the script stops here (cell \(index + 1) of \(cells.count))\n")
        }
        break
      }
    }
    return failed ? 1 : 0
  }

  /// The directory of the default run store: the script's, so notebook and script runs meet there.
  private var storeDirectory: String {
    // stdin ("-") has no directory; checked first, since Foundation traps on "-" here.
    if path == "-" { return FileManager.default.currentDirectoryPath }
    let directory = (path as NSString).deletingLastPathComponent
    return directory.isEmpty ? FileManager.default.currentDirectoryPath : directory
  }

  /// `--check`: checks every cell with the stored runs and the run names earlier cells would create.
  private func check(_ cells: [ScriptCell], source: String) -> Int32 {
    let store = Session()
    store.storeDirectory = storeDirectory
    var known = store.runNames
    var state = CheckState()
    var knownPlots: [String?] = []
    var errors = 0
    for cell in cells {
      let context = CheckContext(knownRuns: known, state: state, knownPlots: knownPlots)
      let result = Frontend.check(cell.text, context: context, firstLine: cell.firstLine)
      for text in DiagnosticRenderer.renderBounded(result.diagnostics, file: displayPath, source: source) {
        StdIO.stderr(text + "\n")
      }
      errors += result.diagnostics.filter { $0.severity == .error }.count
      known = result.knownRuns
      state = result.state ?? state
      knownPlots = result.knownPlots
    }
    if errors > 0 {
      StdIO.stderr("\(displayPath): \(errors) error\(errors == 1 ? "" : "s")\n")
      return 1
    }
    StdIO.stdout("\(displayPath): \(cells.count) cell\(cells.count == 1 ? "" : "s"), no errors\n")
    return 0
  }

  /// Shows one output: text on stdout or stderr, tables as text (and CSV files), charts as SVG files.
  private func show(_ item: OutputItem, writer: ScriptOutputWriter, cellIndex: Int) {
    var written: [String] = []
    do {
      written = try writer.write(item, cellIndex: cellIndex)
    } catch {
      StdIO.stderr("warning: could not write output file: \(error)\n")
    }
    switch item {
    case .text(let s): StdIO.stdout(s)
    case .stderr(let s): StdIO.stderr(s)
    case .table(let t): StdIO.stdout(Renderer.plainText(t) + "\n")
    case .chart(let c): StdIO.stdout(Renderer.plainText(c) + "\n")
    case .report(let s): StdIO.stdout(s.plainText)
    case .value, .page, .clear:
      let text = Renderer.mimeBundle(item).data["text/plain"] ?? ""
      if !text.isEmpty { StdIO.stdout(text.hasSuffix("\n") ? text : text + "\n") }
    }
    for path in written { StdIO.stdout("  → \(path)\n") }
  }

  /// First Ctrl-C: stop training at the next batch; a second one ends the process.
  private func installInterruptHandler() {
    #if canImport(Glibc)
      signal(SIGINT) { _ in
        if scriptInterrupt.load(ordering: .relaxed) { _exit(130) }
        scriptInterrupt.store(true, ordering: .relaxed)
      }
    #endif
  }
}

/// Reads a script file, refusing what is not a UTF-8 text file.
enum ScriptSource {
  struct ReadError: Error { let message: String }

  static func read(_ path: String) -> Result<String, ReadError> {
    if path == "-" { return decode(FileHandle.standardInput.readDataToEndOfFile(), name: "<stdin>") }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return .failure(ReadError(message: "cannot read script '\(path)': no such file"))
    }
    if isDirectory.boolValue {
      return .failure(ReadError(message: "cannot read script '\(path)': it is a directory"))
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(ReadError(message: "cannot read script '\(path)': permission denied or unreadable"))
    }
    return decode(data, name: path)
  }

  /// The script's text, refusing binary data and invalid UTF-8.
  private static func decode(_ data: Data, name path: String) -> Result<String, ReadError> {
    if let zero = data.firstIndex(of: 0) {
      return .failure(
        ReadError(
          message:
            "'\(path)' is not a text script: it contains binary data (a NUL byte at offset \(zero - data.startIndex))"))
    }
    guard let text = String(data: data, encoding: .utf8) else {
      return .failure(ReadError(message: "'\(path)' is not a text script: it is not valid UTF-8"))
    }
    return .success(text)
  }
}

/// Live progress on stderr: one rewritten line on a terminal, one line per epoch otherwise.
final class ProgressPrinter {
  private let isTerminal = isatty(2) != 0
  private var lineOpen = false

  func show(_ p: ProgressUpdate) {
    // A Slurm job's status: a line on stdout whenever a task or run changes.
    if let board = p.board {
      if p.endOfEpoch {
        finishLine()
        StdIO.stdout(board.summary + "\n")
      }
      return
    }
    if isTerminal {
      StdIO.stderr("\r\u{1B}[K" + p.text)
      lineOpen = true
      if p.endOfEpoch { finishLine() }
    } else if p.endOfEpoch {
      StdIO.stderr(p.text + "\n")
    }
  }

  func finishLine() {
    if lineOpen {
      StdIO.stderr("\n")
      lineOpen = false
    }
  }
}

/// Unbuffered writes to the standard streams (keeps stdout and stderr in order).
enum StdIO {
  static func stdout(_ s: String) { write(1, s) }
  static func stderr(_ s: String) { write(2, s) }

  private static func write(_ fd: Int32, _ s: String) {
    var bytes = Array(s.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeMutableBytes { buf in
        Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
      }
      if n <= 0 { return }
      offset += n
    }
  }
}
