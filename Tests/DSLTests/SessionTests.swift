import Foundation
import NN
import Testing

@testable import DSL

/// The session end to end on a tiny generated data set: every statement, every failure path.
@Suite("Session")
struct SessionTests {
  @Test func studyFlowProducesTablesChartsAndFiles() throws {
    let f = try SessionFixture()
    let outcome = f.run(
      """
      \(f.load)
      model 784-32-relu-10
      set epochs=2 seed=3
      train as baseline
      train batch=8 lr=0.01 as b8
      train as baseline2
      compare
      plot test_acc
      plot times
      plot grad_sq layer=1 per=step
      show baseline
      eval baseline on=test
      print "acc" baseline.test_acc
      export file="runs.csv"
      export file="runs.json"
      report file="report.html"
      report file="report.md"
      """)
    #expect(outcome == .ok, "\(outcome)")
    // The runs, with the resolved configuration they inherited.
    #expect(f.session.runNames == ["baseline", "b8", "baseline2"])
    let base = f.session.runs[0]
    #expect(base.config.epochs == 2 && base.config.seed == 3 && base.config.batch == 32)
    #expect(base.epochs.count == 2 && base.status == .finished)
    #expect(base.epochs.last!.testAccuracy > 0.5, "a separable set must be learned")
    // Same seed, same configuration: the same numbers (determinism through the session).
    #expect(f.session.runs[2].epochs.map(\.trainLoss) == base.epochs.map(\.trainLoss))
    // compare: one row per run, what changed against the baseline.
    let compare = try #require(f.tables.first { $0.title?.hasPrefix("Comparison") == true })
    #expect(compare.rows.count == 3)
    #expect(compare.rows[1][1] == .text("batch=8 lr=0.01"))
    #expect(compare.rows[0][1] == .text("(baseline)"))
    // plots: a line per run, bars for the times, per-step δ² with one point per step.
    #expect(f.charts.count == 3)
    #expect(f.charts[0].series.map(\.name) == ["baseline", "b8", "baseline2"])
    #expect(f.charts[1].kind == .bars && f.charts[1].groups.map(\.name) == ["train_s", "total_s"])
    #expect(f.charts[2].series[0].y.count == base.stepGradSq[0].count)
    #expect(base.stepGradSq[0].count == 2 * Int((240.0 / 32).rounded(.up)))
    // print resolves references; eval reports per-class accuracy.
    let acc = base.epochs.last!.testAccuracy
    let printed = acc == acc.rounded() ? String(Int(acc)) : String(format: "%.6g", acc)
    #expect(f.stdout.contains("acc \(printed)"), "print shows 6 significant digits")
    #expect(f.tables.contains { $0.title?.hasPrefix("baseline on the test split") == true && $0.rows.count == 10 })
    // Files: CSV (runs + per-epoch), JSON, HTML with inline SVG, Markdown with SVG files.
    let out = f.directory + "/out/"
    let runsCSV = try String(contentsOfFile: out + "runs.csv", encoding: .utf8)
    #expect(runsCSV.split(whereSeparator: \.isNewline).count == 4)
    let epochsCSV = try String(contentsOfFile: out + "runs-epochs.csv", encoding: .utf8)
    #expect(epochsCSV.split(whereSeparator: \.isNewline).count == 1 + 3 * 2)
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "runs.json")))
    let runs = try #require((json as? [String: Any])?["runs"] as? [[String: Any]])
    #expect(runs.count == 3 && runs[1]["name"] as? String == "b8")
    let html = try String(contentsOfFile: out + "report.html", encoding: .utf8)
    for needle in ["Environment", "Method", "P1", "P2", "P3", "<svg", "batch=8 lr=0.01", "train_s"] {
      #expect(html.contains(needle), "report.html lacks \(needle)")
    }
    let md = try String(contentsOfFile: out + "report.md", encoding: .utf8)
    #expect(md.contains("![") && FileManager.default.fileExists(atPath: out + "report-figure1.svg"))
  }

  @Test func getGivesTheCellValue() throws {
    let f = try SessionFixture()
    #expect(f.run("set epochs=7; get epochs") == .ok)
    #expect(f.items.last == .value(.integer(7)))
    #expect(f.run("get lr") == .ok)
    #expect(f.items.last == .value(.number(0.001)))
  }

  @Test func unnamedRunsAreNumbered() throws {
    let f = try SessionFixture(train: 40, test: 10)
    #expect(f.run("\(f.load)\nmodel 784-8-relu-10\nset epochs=1\ntrain\ntrain\nshow run2") == .ok)
    #expect(f.session.runNames == ["run1", "run2"])
  }

  @Test func aCellWithAnErrorRunsNothing() throws {
    let f = try SessionFixture()
    let outcome = f.run("print \"before\"\ntrian\nset lr=0")
    let error = try #require(outcome.error)
    #expect(error.ename == "SyntaxError")
    #expect(error.traceback.count == 2)
    #expect(error.traceback[0].contains("<cell>:2:1: error:"))
    #expect(f.items.isEmpty, "nothing may run when the cell has an error")
  }

  @Test func divergenceIsKeptAndLaterStatementsRun() throws {
    let f = try SessionFixture()
    let outcome = f.run(
      """
      \(f.load)
      model 784-64-relu-10
      train epochs=3 lr=1e30 opt=sgd as boom
      print "still here"
      """)
    #expect(outcome == .ok)
    let run = try #require(f.session.runs.first)
    guard case .diverged = run.status else {
      Issue.record("expected a diverged run, got \(run.status)")
      return
    }
    #expect(f.stderr.contains("diverged"))
    #expect(f.stdout.contains("still here"))
  }

  @Test func interruptKeepsThePartialRunAndEndsTheCell() throws {
    let f = try SessionFixture()
    let outcome = f.run(
      "\(f.load)\nmodel 784-16-relu-10\ntrain epochs=5 batch=8 as partial\nprint \"not reached\"", stopAfter: 12)
    let error = try #require(outcome.error)
    #expect(error.ename == "Interrupted")
    #expect(!f.stdout.contains("not reached"))
    let run = try #require(f.session.runs.first)
    guard case .interrupted = run.status else {
      Issue.record("expected an interrupted run, got \(run.status)")
      return
    }
    // The partial run stays usable in the next cell.
    #expect(f.run("show partial\ncompare") == .ok)
  }

  /// A statement that must fail at run time, and text its message must contain.
  struct Failure: Sendable, CustomStringConvertible {
    let name: String
    let cell: String
    let expected: [String]
    var description: String { name }
  }

  static let failures: [Failure] = [
    Failure(
      name: "missing data directory", cell: "load fashion dir=\"/nonexistent/fmnist\"",
      expected: ["/nonexistent/fmnist", "apt-get install dataset-fashion-mnist"]),
    Failure(
      name: "train without data", cell: "model 784-10\ntrain", expected: ["no data set is loaded", "load fashion"]),
    Failure(name: "train without model", cell: "LOAD\ntrain", expected: ["no model is defined"]),
    Failure(name: "first width", cell: "LOAD\nmodel 100-10", expected: ["input width is 100", "784 pixels"]),
    Failure(name: "last width", cell: "LOAD\nmodel 784-128-relu-5", expected: ["output width is 5", "10 classes"]),
    Failure(
      name: "too large", cell: "LOAD\nmodel 784-65536-relu-65536-relu-65536-10\ntrain",
      expected: ["model too large", "bytes"]),
    Failure(name: "no GPU", cell: "LOAD\nmodel 784-10\ntrain device=gpu", expected: ["device=gpu", "device=auto"]),
    Failure(name: "unknown run at run time", cell: "show nobody", expected: ["nobody"]),
  ]

  @Test(arguments: failures)
  func runtimeFailures(_ failure: Failure) throws {
    let f = try SessionFixture(train: 20, test: 10)
    let outcome = f.run(failure.cell.replacingOccurrences(of: "LOAD", with: f.load))
    let error = try #require(outcome.error, "\(failure.name) must fail")
    let text = error.evalue + "\n" + error.traceback.joined(separator: "\n")
    for needle in failure.expected {
      #expect(text.contains(needle), "\(failure.name): message lacks '\(needle)': \(text)")
    }
    #expect(error.traceback.first?.contains("<cell>:") == true, "the error points at the statement")
  }

  @Test func autoFallsBackToTheCPUWithANote() throws {
    let f = try SessionFixture(train: 20, test: 10)
    #expect(f.run("\(f.load)\nmodel 784-8-relu-10\ntrain epochs=1 device=auto") == .ok)
    // A short note on stdout (the full reason is in `device` and the run's notes).
    #expect(f.stdout.contains("note: no usable GPU ("), "\(f.stdout)")
    #expect(f.stdout.contains("training on the CPU; `device` shows why"))
    #expect(!f.stderr.contains("note:"))
    #expect(f.session.runs[0].notes.contains { $0.hasPrefix("device=auto: training on the CPU") })
    #expect(f.session.runs[0].backend.hasPrefix("cpu"))
  }

  @Test func progressIsThrottledAndEndsEachEpoch() throws {
    let f = try SessionFixture()
    #expect(f.run("\(f.load)\nmodel 784-8-relu-10\ntrain epochs=3 batch=4") == .ok)
    let ends = f.progressUpdates.filter(\.endOfEpoch)
    #expect(ends.map(\.epoch) == [1, 2, 3])
    #expect(f.progressUpdates.count < 3 * 60, "progress must be throttled, not per step")
  }
}

/// The report says how GPU use was verified: a table of the device's own counts for GPU runs,
/// and for CPU runs why no GPU was used. A GPU run is simulated from a CPU run's record here.
@Suite struct GPUEvidenceReportTests {
  static let evidence = GPUEvidence(
    device: "NVIDIA H200", capability: "9.0", moduleForm: "CUBIN sm_90", nvrtcVersion: "13.0",
    driverVersion: "13.0", kernelsLaunched: 41_234, graphLaunches: 250, graphSteps: 32,
    gemmCalls: 40_000, bytesAllocated: 58_720_256, peakDeviceMemory: 1_073_741_824)

  @Test func gpuRunsGetATableAndCPURunsAReason() throws {
    let f = try SessionFixture()
    #expect(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1 seed=1 device=auto\ntrain as a\ntrain as b") == .ok)
    var gpuRun = f.session.runs[0]
    gpuRun.gpuEvidence = Self.evidence
    gpuRun.backend = Self.evidence.backend
    gpuRun.notes = [Self.evidence.note]
    f.session.runs[0] = gpuRun
    let sections = f.session.gpuUseSections()
    guard case .heading(2, "GPU use and how it was verified") = sections.first else {
      Issue.record("no GPU section heading: \(sections)")
      return
    }
    let table = try #require(sections.compactMap { if case .table(let t) = $0 { return t } else { return nil } }.first)
    #expect(table.rows.count == 1)
    let row = table.rows[0]
    let steps = gpuRun.epochs.reduce(0) { $0 + $1.steps }
    #expect(row[0] == .text("a"))
    #expect(row[1] == .text("NVIDIA H200 (cc 9.0, driver CUDA 13.0)"))
    #expect(row[2] == .integer(steps))
    #expect(row[3] == .integer(41_234))
    #expect(row[7].displayText == "56.0" && row[8].displayText == "1024.0")
    #expect(row[10] == .text("CUDA graphs of 32 steps (stream capture)"))
    let paragraphs = sections.compactMap { if case .paragraph(let p) = $0 { return p } else { return nil } }
    #expect(
      paragraphs.contains { $0.hasPrefix("Runs on the CPU: b (cpu") && $0.contains("device=auto: training on the CPU") }
    )

    #expect(f.run("report file=\"r.html\"\nexport file=\"r.json\"") == .ok)
    let html = try String(contentsOfFile: f.directory + "/out/r.html", encoding: .utf8)
    #expect(html.contains("GPU evidence per run") && html.contains("41234"))
    // The evidence line is in the table, not repeated among the device notes.
    #expect(!html.contains(GPUEvidence.prefix))
    let json = try String(contentsOfFile: f.directory + "/out/r.json", encoding: .utf8)
    #expect(json.contains("\"kernelsLaunched\" : 41234"))
  }

  @Test func noGPURunSaysSoWithTheReason() throws {
    let f = try SessionFixture()
    #expect(f.run("\(f.load)\nmodel 784-16-relu-10\nset epochs=1 device=auto\ntrain as a") == .ok)
    let paragraphs = f.session.gpuUseSections().compactMap {
      if case .paragraph(let p) = $0 { return p } else { return nil }
    }
    #expect(paragraphs.count == 1)
    #expect(paragraphs[0].hasPrefix("No run in this session trained on a GPU: every run used the CPU backend (cpu"))
    #expect(paragraphs[0].contains("device=auto: training on the CPU"))
  }
}
