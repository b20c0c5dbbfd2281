import Foundation
import Testing

/// Script mode and the run store: the default store next to the script, shared by later scripts
/// (running and `--check`), and NNDSL_STORE=off leaving no file.
@Suite struct ScriptStoreTests {
  private let setup = "load fashion train=300 test=100\nmodel 784-8-relu-10\nset epochs=1\n"

  @Test func scriptsShareTheStoreNextToThem() throws {
    let dir = try TemporaryDirectory()
    _ = try dir.file("train.nb", Data((setup + "train as base\n").utf8))
    _ = try dir.file("use.nb", Data((setup + "runs\neval base\ncompare base\n").utf8))
    let env = ["NNDSL_STORE": ""]
    let before = try KernelProcess.run(["--script", "use.nb", "--check"], in: dir.url, environment: env)
    #expect(before.status == 1)
    #expect(before.stderr.contains("unknown run 'base'"))
    let trained = try KernelProcess.run(["--script", "train.nb"], in: dir.url, environment: env)
    #expect(trained.status == 0, "\(trained.stderr)")
    let store = dir.url.appendingPathComponent(".nndsl/runs.db").path
    #expect(FileManager.default.fileExists(atPath: store))
    let checked = try KernelProcess.run(["--script", "use.nb", "--check"], in: dir.url, environment: env)
    #expect(checked.status == 0, "\(checked.stderr)")
    let used = try KernelProcess.run(["--script", "use.nb"], in: dir.url, environment: env)
    #expect(used.status == 0, "\(used.stderr)")
    #expect(used.stdout.contains("base on the test split"))
    #expect(used.stdout.contains("store: \(store), 1 run"))
  }

  @Test func storeOffLeavesNoFile() throws {
    let dir = try TemporaryDirectory()
    _ = try dir.file("train.nb", Data((setup + "train as base\nruns\n").utf8))
    let result = try KernelProcess.run(["--script", "train.nb"], in: dir.url, environment: ["NNDSL_STORE": "off"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("store off: runs are kept in memory only"))
    #expect(!FileManager.default.fileExists(atPath: dir.url.appendingPathComponent(".nndsl").path))
  }
}
