import Foundation
import NN

#if canImport(Glibc)
  import Glibc
#endif

/// One array task of a Slurm job: trains its runs exactly as a local `train` does (same
/// configuration, same data subset, NN's Trainer), writing progress as it goes and one result
/// per run. It never touches the run store: the session imports the results.
public enum SlurmTask {
  /// Trains the runs of task `task` of the job in `spool`; returns the exit status (0: every run
  /// trained; 1: a run failed or was stopped; 2: the spool or data could not be read). Once
  /// `shouldStop` says so (SIGTERM from Slurm), the run in training stops at its next batch and
  /// writes its partial result, and the later runs of the task do not start. `log` receives
  /// lines for the task's log file.
  public static func run(
    spool directory: String, task: Int, environment: [String: String] = ProcessInfo.processInfo.environment,
    shouldStop: @escaping () -> Bool = { false }, log: (String) -> Void = { _ in }
  ) -> Int32 {
    let spool = SlurmSpool(directory: directory)
    let manifest: SlurmManifest
    do {
      manifest = try spool.manifest()
    } catch {
      log("error: \(error)")
      return 2
    }
    let indices = SlurmPacking.runs(ofTask: task, pack: manifest.pack, count: manifest.runs.count)
    guard !indices.isEmpty else {
      log("error: task \(task) has no runs (the job has \(manifest.runs.count) runs, \(manifest.pack) per task)")
      return 2
    }
    let origin = originText(task: task, environment: environment)
    let runs = indices.map { manifest.runs[$0] }
    log("task \(task): runs \(runs.map(\.name).joined(separator: ", ")) (\(origin))")
    let data: Dataset
    do {
      data = try DataSource.loadFashionMNIST(directory: manifest.data.directory, environment: environment)
        .subset(train: manifest.data.trainLimit, test: manifest.data.testLimit)
    } catch {
      let message = "cannot load the data set from \(manifest.data.directory): \(error)"
      log("error: \(message)")
      for run in runs { writeFailure(run, message: message, origin: origin, started: Date(), spool: spool, log: log) }
      return 2
    }
    var failed = false
    for (i, run) in runs.enumerated() {
      if shouldStop() {
        let left = runs[i...].map(\.name).joined(separator: ", ")
        log("task \(task): stopped (SIGTERM); not started: \(left)")
        return 1
      }
      if !train(run, data: data, origin: origin, spool: spool, shouldStop: shouldStop, log: log) { failed = true }
    }
    return failed ? 1 : 0
  }

  /// Trains one run; returns whether it trained (a record was written, whatever its status).
  static func train(
    _ run: SlurmManifest.Run, data: Dataset, origin: String, spool: SlurmSpool, shouldStop: () -> Bool,
    log: (String) -> Void
  ) -> Bool {
    let started = Date()
    let trainer: Trainer
    do {
      trainer = try Trainer(model: run.model, config: run.config, data: data)
    } catch {
      writeFailure(run, message: "\(error)", origin: origin, started: started, spool: spool, log: log)
      return false
    }
    for note in trainer.setupNotes { log("note: \(run.name): \(note)") }
    var lastWrite = Date.distantPast
    var lastTestAccuracy: Double?
    var record = trainer.run(
      name: run.name,
      progress: { p in
        let now = Date()
        let endOfEpoch = p.step == p.stepsPerEpoch
        guard endOfEpoch || now.timeIntervalSince(lastWrite) >= 1 else { return }
        lastWrite = now
        writeProgress(
          SlurmProgress(
            run: run.name, epoch: p.epoch, epochs: p.epochs, step: p.step, stepsPerEpoch: p.stepsPerEpoch,
            loss: p.runningLoss, accuracy: p.runningAccuracy, testAccuracy: lastTestAccuracy, elapsed: p.elapsed),
          spool: spool)
      },
      epochEnded: { partial in
        guard let last = partial.epochs.last else { return }
        lastTestAccuracy = last.testAccuracy
        let steps = last.steps
        writeProgress(
          SlurmProgress(
            run: run.name, epoch: last.epoch, epochs: run.config.epochs, step: steps, stepsPerEpoch: steps,
            loss: last.trainLoss, accuracy: last.trainAccuracy, testAccuracy: last.testAccuracy,
            elapsed: Date().timeIntervalSince(started)), spool: spool)
        let loss = NumberFormatting.fixed(last.trainLoss, 4)
        let accuracy = NumberFormatting.fixed(last.testAccuracy * 100, 2)
        log("\(run.name): epoch \(last.epoch)/\(run.config.epochs) train loss \(loss) test acc \(accuracy)%")
      },
      shouldStop: shouldStop)
    record.totalSeconds = Date().timeIntervalSince(started)
    let weights = record.finalParameters
    record.finalParameters = []
    do {
      if !weights.isEmpty {
        try SlurmSpool.writeAtomically(Data(FloatBlob.encode(weights)), to: spool.weightsPath(run.name))
      }
      try SlurmSpool.write(
        SlurmResult(
          run: run.name, record: record, error: nil, origin: origin, startedAt: started, endedAt: Date(),
          weightCount: weights.count),
        to: spool.resultPath(run.name))
    } catch {
      log("error: \(run.name): cannot write its result: \(error)")
      return false
    }
    let trainSeconds = NumberFormatting.fixed(record.trainSeconds, 2)
    let totalSeconds = NumberFormatting.fixed(record.totalSeconds, 2)
    log("\(run.name): \(record.status), train_s \(trainSeconds), total_s \(totalSeconds)")
    if case .interrupted = record.status { return false }
    return true
  }

  static func writeProgress(_ p: SlurmProgress, spool: SlurmSpool) {
    try? SlurmSpool.write(p, to: spool.progressPath(p.run))
  }

  static func writeFailure(
    _ run: SlurmManifest.Run, message: String, origin: String, started: Date, spool: SlurmSpool, log: (String) -> Void
  ) {
    log("error: \(run.name): \(message)")
    let result = SlurmResult(
      run: run.name, record: nil, error: message, origin: origin, startedAt: started, endedAt: Date(), weightCount: 0)
    do {
      try SlurmSpool.write(result, to: spool.resultPath(run.name))
    } catch {
      log("error: \(run.name): cannot write its failure: \(error)")
    }
  }

  /// `slurm job 123 task 4 on node7`.
  static func originText(task: Int, environment: [String: String]) -> String {
    var host = [CChar](repeating: 0, count: 256)
    gethostname(&host, host.count)
    let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let job = environment["SLURM_ARRAY_JOB_ID"] ?? environment["SLURM_JOB_ID"] ?? "?"
    return "slurm job \(job) task \(task) on \(hostName), pid \(getpid())"
  }
}
