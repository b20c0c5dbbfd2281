import Foundation
import Testing

/// Runs the built `kernel` binary and captures its exit status and output.
struct KernelProcess {
  /// The `kernel` executable beside the test bundle (built by `swift build` before `swift test`).
  static var executable: URL? {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("kernel")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `kernel` with the arguments in `directory`.
  static func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
  ) throws -> Result {
    let exe = try #require(executable, "the kernel binary was not built: run `swift build` before `swift test`")
    let process = Process()
    process.executableURL = exe
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// A temporary directory removed at the end of the test.
final class TemporaryDirectory {
  let url: URL
  init() throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }
  func file(_ name: String, _ contents: Data) throws -> String {
    let path = url.appendingPathComponent(name).path
    try contents.write(to: URL(fileURLWithPath: path))
    return path
  }
  deinit { try? FileManager.default.removeItem(at: url) }
}

/// One command-line case: what a user types, what status and what text they must get.
struct CLICase: Sendable, CustomStringConvertible {
  let name: String
  let file: (name: String, bytes: [UInt8])?
  let arguments: [String]
  let status: Int32
  let stdoutContains: [String]
  let stderrContains: [String]
  var description: String { name }
}

private let cliCases: [CLICase] = [
  CLICase(
    name: "help", file: nil, arguments: ["--help"], status: 0,
    stdoutContains: ["USAGE", "--script", "--keep-going", "install"], stderrContains: []),
  CLICase(
    name: "no arguments", file: nil, arguments: [], status: 64,
    stdoutContains: [], stderrContains: ["nothing to do"]),
  CLICase(
    name: "missing file", file: nil, arguments: ["--script", "does-not-exist.nb"], status: 2,
    stdoutContains: [], stderrContains: ["cannot read script 'does-not-exist.nb': no such file"]),
  CLICase(
    name: "empty file", file: ("empty.nb", []), arguments: ["--script", "empty.nb"], status: 0,
    stdoutContains: [], stderrContains: ["empty.nb is empty: nothing to run"]),
  CLICase(
    name: "binary file", file: ("blob.nb", [0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff]),
    arguments: ["--script", "blob.nb"], status: 2,
    stdoutContains: [], stderrContains: ["'blob.nb' is not a text script"]),
  CLICase(
    name: "invalid UTF-8", file: ("latin1.nb", Array("print \"caf".utf8) + [0xe9, 0x22, 0x0a]),
    arguments: ["--script", "latin1.nb"], status: 2,
    stdoutContains: [], stderrContains: ["not valid UTF-8"]),
  CLICase(
    name: "errors", file: ("bad.nb", Array("print \"ok\"\n# %%\ntrain bach=16\nplot nothing\n".utf8)),
    arguments: ["--script", "bad.nb"], status: 1,
    stdoutContains: ["ok"],
    stderrContains: ["bad.nb:3:7: error:", "batch", "bad.nb:4:6: error:", "stopping at the first failing cell"]),
  CLICase(
    name: "check only", file: ("bad2.nb", Array("trian\nset lr=0\n".utf8)),
    arguments: ["--script", "bad2.nb", "--check"], status: 1,
    stdoutContains: [], stderrContains: ["bad2.nb:1:1: error:", "bad2.nb:2:", "2 errors"]),
  CLICase(
    name: "print and set",
    file: ("ok.nb", Array("set epochs=3 # three\nprint \"épocas:\" epochs; print \"to stderr\" to=stderr\n".utf8)),
    arguments: ["--script", "ok.nb"], status: 0,
    stdoutContains: ["épocas: 3"], stderrContains: ["to stderr"]),
  CLICase(
    name: "check sees plots of earlier cells",
    file: ("plots.nb", Array("plot test_acc as acc\n# %%\nreport plots=acc,1\n# %%\nreport plots=acx\n".utf8)),
    arguments: ["--script", "plots.nb", "--check"], status: 1,
    stdoutContains: [], stderrContains: ["plots.nb:5:14: error: unknown plot 'acx'", "did you mean 'acc'?", "1 error"]),
  CLICase(
    name: "keep going", file: ("two.nb", Array("trian\n# %%\nprint \"second\"\n".utf8)),
    arguments: ["--script", "two.nb", "--keep-going"], status: 1,
    stdoutContains: ["second"], stderrContains: ["two.nb:1:1: error:"]),
]

@Test(arguments: cliCases)
func commandLine(_ c: CLICase) throws {
  let dir = try TemporaryDirectory()
  if let file = c.file { _ = try dir.file(file.name, Data(file.bytes)) }
  let result = try KernelProcess.run(c.arguments, in: dir.url)
  #expect(result.status == c.status, "stderr: \(result.stderr)")
  for s in c.stdoutContains { #expect(result.stdout.contains(s), "stdout lacks \(s): \(result.stdout)") }
  for s in c.stderrContains { #expect(result.stderr.contains(s), "stderr lacks \(s): \(result.stderr)") }
}
