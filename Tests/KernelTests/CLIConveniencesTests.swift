import Foundation
import Testing

/// Runs `kernel` with `input` on its standard input.
private func runKernel(_ arguments: [String], input: String, in directory: URL) throws -> KernelProcess.Result {
  let exe = try #require(
    KernelProcess.executable, "the kernel binary was not built: run `swift build` before `swift test`")
  let process = Process()
  process.executableURL = exe
  process.arguments = arguments
  process.currentDirectoryURL = directory
  process.environment = ProcessInfo.processInfo.environment.merging(["COLUMNS": "80"]) { $1 }
  let stdin = Pipe()
  let out = Pipe()
  let err = Pipe()
  process.standardInput = stdin
  process.standardOutput = out
  process.standardError = err
  try process.run()
  stdin.fileHandleForWriting.write(Data(input.utf8))
  try stdin.fileHandleForWriting.close()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return KernelProcess.Result(
    status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
    stderr: String(decoding: errData, as: UTF8.self))
}

/// `kernel --help` and `kernel install --help` at 80 columns: no line is wrapped inside a phrase.
@Test(arguments: [["--help"], ["install", "--help"]])
func helpDoesNotWrapMidPhrase(_ arguments: [String]) throws {
  let dir = try TemporaryDirectory()
  let result = try runKernel(arguments, input: "", in: dir.url)
  #expect(result.status == 0)
  let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
  #expect(lines.count > 10)
  for line in lines where !line.hasPrefix("USAGE:") {
    #expect(line.count <= 80, "longer than 80 columns: \(line)")
    // A wrapped phrase leaves an open parenthesis or code span behind on its line.
    #expect(line.filter { $0 == "(" }.count == line.filter { $0 == ")" }.count, "a parenthesis spans lines: \(line)")
    #expect(line.filter { $0 == "`" }.count % 2 == 0, "a code span spans lines: \(line)")
  }
}

@Test func versionNamesTheBuildConfiguration() throws {
  let dir = try TemporaryDirectory()
  let result = try runKernel(["--version"], input: "", in: dir.url)
  #expect(result.status == 0)
  #expect(result.stdout.contains("(debug build)") || result.stdout.contains("(release build)"), "\(result.stdout)")
}

/// `kernel --script -` reads the script from standard input.
struct StdinCase: Sendable, CustomStringConvertible {
  let name: String
  let script: String
  let arguments: [String]
  let status: Int32
  let stdoutContains: [String]
  let stderrContains: [String]
  var description: String { name }
}

private let stdinCases: [StdinCase] = [
  StdinCase(
    name: "runs", script: "print \"from stdin\"\n# %%\nset epochs=2\nprint epochs\n", arguments: [],
    status: 0, stdoutContains: ["from stdin", "(<stdin>:3)", "\n2\n"], stderrContains: []),
  StdinCase(
    name: "errors name <stdin>", script: "trian\n", arguments: [],
    status: 1, stdoutContains: [], stderrContains: ["<stdin>:1:1: error: unknown statement 'trian'"]),
  StdinCase(
    name: "check", script: "set epochs=2\n", arguments: ["--check"],
    status: 0, stdoutContains: ["<stdin>: 1 cell, no errors"], stderrContains: []),
  StdinCase(
    name: "empty", script: "", arguments: [],
    status: 0, stdoutContains: [], stderrContains: ["<stdin> is empty"]),
  StdinCase(
    name: "exit stops the script", script: "print \"one\"\nexit\nprint \"same cell\"\n# %%\nprint \"two\"\n",
    arguments: [], status: 0, stdoutContains: ["one", "exit: the script stops here (cell 1 of 2)"],
    stderrContains: []),
]

@Test(arguments: stdinCases)
func scriptFromStdin(_ c: StdinCase) throws {
  let dir = try TemporaryDirectory()
  let out = dir.url.appendingPathComponent("out").path
  let result = try runKernel(["--script", "-", "--out", out] + c.arguments, input: c.script, in: dir.url)
  #expect(result.status == c.status, "stderr: \(result.stderr)")
  for s in c.stdoutContains { #expect(result.stdout.contains(s), "stdout lacks \(s): \(result.stdout)") }
  for s in c.stderrContains { #expect(result.stderr.contains(s), "stderr lacks \(s): \(result.stderr)") }
  if c.name == "exit stops the script" {
    #expect(!result.stdout.contains("same cell") && !result.stdout.contains("two"))
  }
}

/// `--check` follows the data set and model through the cells, as running them would.
struct CheckStateCase: Sendable, CustomStringConvertible {
  let name: String
  let script: String
  /// Expected diagnostics as `line:column: error: message` fragments; empty means no errors.
  let errors: [String]
  var description: String { name }
}

private let checkStateCases: [CheckStateCase] = [
  CheckStateCase(
    name: "train before load", script: "model 784-10\ntrain epochs=1\n",
    errors: ["2:1: error: no data set is loaded"]),
  CheckStateCase(
    name: "train before model", script: "load fashion\n# %%\ntrain\n",
    errors: ["3:1: error: no model is defined"]),
  CheckStateCase(
    name: "sweep before load", script: "sweep batch=16,32\n",
    errors: ["1:1: error: no data set is loaded"]),
  CheckStateCase(
    name: "output width vs classes, load in an earlier cell",
    script: "load fashion\n# %%\nmodel 784-128-relu-12\n",
    errors: ["3:7: error: the model's output width is 12 but fashion-mnist has 10 classes"]),
  CheckStateCase(
    name: "input width vs pixels", script: "load fashion; model 100-10\n",
    errors: ["1:21: error: the model's input width is 100 but fashion-mnist images have 784 pixels"]),
  CheckStateCase(
    name: "model before load is checked at train", script: "model 784-10\nload fashion\ntrain\n",
    errors: []),
  CheckStateCase(
    name: "a whole study",
    script: "load fashion train=600\nmodel 784-128-relu-10\n# %%\ntrain as a\nsweep lr=0.1,0.01 as lr\n",
    errors: []),
]

@Test(arguments: checkStateCases)
func checkFollowsDataAndModel(_ c: CheckStateCase) throws {
  let dir = try TemporaryDirectory()
  let result = try runKernel(["--script", "-", "--check"], input: c.script, in: dir.url)
  #expect(result.status == (c.errors.isEmpty ? 0 : 1), "stderr: \(result.stderr)")
  for e in c.errors { #expect(result.stderr.contains("<stdin>:" + e), "stderr lacks \(e): \(result.stderr)") }
  #expect(result.stderr.filter { $0 == "^" }.count >= c.errors.count)
  if c.errors.isEmpty { #expect(result.stderr.isEmpty, "\(result.stderr)") }
}
