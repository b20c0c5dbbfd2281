// `NNBench gpu-check`: the device check run on a GPU machine (scripts/gpu-check.sh stages it).
// Parity (CPU vs GPU, same seed) for baseline, sgd and no_zero_grad; timing per step and per
// epoch at batch 16/32/64; the launch strategy (graph sizes); the whole study on the GPU.
import Foundation
import NN

/// One JSON object per line into `out/gpu-check.jsonl` (and nothing when out is nil).
final class JSONLines {
  let handle: FileHandle?

  init(directory: String?) {
    guard let directory else {
      handle = nil
      return
    }
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/gpu-check.jsonl"
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    handle = FileHandle(forWritingAtPath: path)
  }

  func write(_ object: [String: Any]) {
    guard let handle, let data = try? JSONSerialization.data(withJSONObject: object) else { return }
    handle.write(data)
    handle.write(Data("\n".utf8))
  }
}

/// Results filled in by concurrent CPU runs.
final class RecordSlots: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [RunRecord?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ record: RunRecord?) {
    lock.lock()
    slots[i] = record
    lock.unlock()
  }

  var records: [RunRecord?] {
    lock.lock()
    defer { lock.unlock() }
    return slots
  }
}

/// Relative difference |a − b| / |b|.
func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-30) }

func gpuCheck(_ o: Options, data: Dataset) throws -> Bool {
  let epochs = o.epochs ?? 10
  let log = JSONLines(directory: o.out)
  let probe = GPU.probe()
  say("== device")
  for (key, value) in probe.details { say("  \(key): \(value)") }
  log.write(["kind": "probe", "usable": probe.usable, "reason": probe.reason])
  guard probe.usable else {
    say("gpu-check: no usable GPU: \(probe.reason)")
    return false
  }
  var allOK = true

  // Parity: the CPU reference runs in parallel (one thread each), the GPU runs one after another.
  say("== parity: CPU vs GPU, seed 0, \(epochs) epochs")
  let parityRuns = studyRuns().filter { ["baseline", "sgd", "no_zero_grad"].contains($0.0) }
  let results = RecordSlots(count: parityRuns.count)
  DispatchQueue.concurrentPerform(iterations: parityRuns.count) { i in
    var c = parityRuns[i].1
    c.epochs = epochs
    c.device = .cpu
    c.threads = 1
    results.set(i, try? Trainer(model: .baseline, config: c, data: data).run(name: parityRuns[i].0))
  }
  let cpuRecords = results.records
  say("run            loss1 cpu   loss1 gpu   rel      δ²1 rel   acc cpu  acc gpu  Δpp    check")
  for (i, (name, base)) in parityRuns.enumerated() {
    var c = base
    c.epochs = epochs
    c.device = .gpu
    let gpu = try Trainer(model: .baseline, config: c, data: data).run(name: name)
    guard let cpu = cpuRecords[i], let g1 = gpu.epochs.first, let c1 = cpu.epochs.first,
      let gl = gpu.epochs.last, let cl = cpu.epochs.last
    else {
      say("\(name): a run produced no epochs; notes: \(gpu.notes)")
      allOK = false
      continue
    }
    let lossRel = relative(g1.trainLoss, c1.trainLoss)
    let gradRel = relative(g1.gradSqMean[0], c1.gradSqMean[0])
    let accPP = (gl.testAccuracy - cl.testAccuracy) * 100
    let ok = lossRel <= 1e-3 && gradRel <= 0.01 && abs(accPP) <= 0.5
    allOK = allOK && ok
    say(
      name.padding(toLength: 15, withPad: " ", startingAt: 0)
        + "\(fmt(c1.trainLoss, 6))    \(fmt(g1.trainLoss, 6))    "
        + String(format: "%.1e  %.1e   ", lossRel, gradRel)
        + "\(fmt(cl.testAccuracy, 4))   \(fmt(gl.testAccuracy, 4))   "
        + String(format: "%+5.2f  ", accPP) + (ok ? "ok" : "FAIL"))
    for note in gpu.notes { say("    \(note)") }
    log.write([
      "kind": "parity", "run": name, "loss1_cpu": c1.trainLoss, "loss1_gpu": g1.trainLoss,
      "loss1_rel": lossRel, "gradsq1_cpu": c1.gradSqMean[0], "gradsq1_gpu": g1.gradSqMean[0],
      "gradsq1_rel": gradRel, "acc_cpu": cl.testAccuracy, "acc_gpu": gl.testAccuracy,
      "acc_pp": accPP, "ok": ok, "gpu_train_s": gpu.trainSeconds, "cpu_train_s": cpu.trainSeconds,
      "gpu_backend": gpu.backend, "notes": gpu.notes,
      "gpu_loss_per_epoch": gpu.epochs.map(\.trainLoss),
      "cpu_loss_per_epoch": cpu.epochs.map(\.trainLoss),
    ])
  }

  // Timing: best epoch of 3 per batch size, and graph sizes at batch 32.
  say("== timing (GPU, best of 3 epochs)")
  say("batch  graph steps  s/epoch   µs/step   steps/s")
  let timing: [(Int, Int?)] = [
    (16, nil), (32, nil), (64, nil), (32, 0), (32, 1), (32, 128),
  ]
  for (batch, graphSteps) in timing {
    let tuning = graphSteps.map { CUDATuning.environment.with(graphSteps: $0) } ?? .environment
    var c = TrainConfig()
    c.batch = batch
    c.epochs = 3
    c.device = .gpu
    let r = try Trainer(model: .baseline, config: c, data: data, tuning: tuning)
      .run(name: "time-b\(batch)")
    guard let best = r.epochs.min(by: { $0.seconds < $1.seconds }) else { continue }
    let perStep = best.seconds / Double(best.steps) * 1e6
    let label = graphSteps.map(String.init) ?? "\(tuning.graphSteps) (default)"
    say(
      String(batch).padding(toLength: 7, withPad: " ", startingAt: 0)
        + label.padding(toLength: 13, withPad: " ", startingAt: 0)
        + fmt(best.seconds, 4).padding(toLength: 10, withPad: " ", startingAt: 0)
        + fmt(perStep, 1).padding(toLength: 10, withPad: " ", startingAt: 0)
        + fmt(1e6 / perStep, 0))
    log.write([
      "kind": "timing", "batch": batch, "graph_steps": graphSteps.map(String.init) ?? "default",
      "epoch_s": r.epochs.map(\.seconds), "best_s": best.seconds, "us_per_step": perStep,
      "notes": r.notes,
    ])
  }

  // Where a step's time goes: each kernel alone, the step, cuBLAS at the first layer's shape.
  // A failure here is reported and the check goes on: the study below still says something.
  for batch in [16, 32, 64] {
    say("== step profile, batch \(batch) (µs)")
    do {
      for (what, us) in try GPU.profileStep(data: data, batch: batch) {
        say("  " + what.padding(toLength: 58, withPad: " ", startingAt: 0) + fmt(us, 2))
        log.write(["kind": "profile", "batch": batch, "what": what, "us": us])
      }
    } catch {
      say("  profile failed: \(error)")
      log.write(["kind": "profile_error", "batch": batch, "error": "\(error)"])
    }
  }

  // The whole study on the GPU: 7 runs × `epochs` epochs.
  say("== study on the GPU (\(epochs) epochs per run)")
  var studyTrain = 0.0
  var studyTotal = 0.0
  for (name, base) in studyRuns() {
    var c = base
    c.epochs = epochs
    c.device = .gpu
    let r = try Trainer(model: .baseline, config: c, data: data).run(name: name)
    studyTrain += r.trainSeconds
    studyTotal += r.totalSeconds
    let acc = r.epochs.last?.testAccuracy ?? .nan
    say(
      name.padding(toLength: 15, withPad: " ", startingAt: 0) + "test acc \(fmt(acc, 4))  "
        + "train_s \(fmt(r.trainSeconds, 3))  total_s \(fmt(r.totalSeconds, 3))  \(r.status)")
    log.write([
      "kind": "study", "run": name, "test_acc": acc, "train_s": r.trainSeconds,
      "total_s": r.totalSeconds, "status": r.status.description, "notes": r.notes,
    ])
  }
  say("study: train_s \(fmt(studyTrain, 3)) (target < 5 s), total_s \(fmt(studyTotal, 3))")
  log.write(["kind": "study_total", "train_s": studyTrain, "total_s": studyTotal])
  say(allOK ? "gpu-check parity: all within bounds" : "gpu-check parity: some runs out of bounds")
  return allOK
}
