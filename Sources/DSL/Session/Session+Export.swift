import Foundation
import NN

extension Session {
  /// Resolves a user-given path (`~`, `~user`, NUL refused): absolute as is, relative to the
  /// session's output directory.
  func outputPath(_ file: String) throws -> String {
    try resolvedPath(file, relativeTo: outputDirectory)
  }

  /// A user-given path through `UserPath` (nil base: the working directory), errors as SessionError.
  func resolvedPath(_ path: String, relativeTo base: String?) throws -> String {
    do {
      return try UserPath.resolve(path, relativeTo: base, environment: environment)
    } catch {
      throw SessionError.runtime(error.description, hint: nil)
    }
  }

  /// Checks, before anything is written, that every file of one statement may be written.
  func checkWritable(_ paths: [String], force: Bool) throws {
    for path in paths {
      do {
        try FileDestination.check(path, force: force)
      } catch {
        throw SessionError.runtime(error.description, hint: Self.hint(for: error))
      }
    }
  }

  /// Writes bytes to a file through `FileDestination` (atomic, regular files only).
  func write(_ data: Data, to path: String, force: Bool = false) throws {
    do {
      try FileDestination.write(data, to: path, force: force)
    } catch {
      throw SessionError.runtime(error.description, hint: Self.hint(for: error))
    }
  }

  /// Writes text to a file as UTF-8 (see `write(_:to:force:)` for bytes).
  func write(_ text: String, to path: String, force: Bool = false) throws {
    try write(Data(text.utf8), to: path, force: force)
  }

  /// What a user can do about a refused write.
  static func hint(for error: FileWriteError) -> String? {
    switch error {
    case .readOnly: return "add force=on to replace it anyway, or choose another file"
    case .isDirectory, .notRegularFile, .danglingLink, .linkLoop, .parentNotDirectory:
      return "choose a path to a regular file, e.g. file=\"runs.csv\""
    case .failed: return nil
    }
  }

  /// `export`: runs to CSV (one row per run, plus a per-epoch long file) or JSON.
  func export(_ names: [String], file: String?, format: ExportFormat?, force: Bool, _ ctx: RunContext) throws {
    let selected = try selectRuns(names)
    guard !selected.isEmpty else { throw SessionError.runtime("there are no runs to export", hint: nil) }
    let fileName = file ?? (format == .json ? "runs.json" : "runs.csv")
    let isJSON = format == .json || (format == nil && fileName.lowercased().hasSuffix(".json"))
    let path = try outputPath(fileName)
    if isJSON {
      let text = try exportJSON(selected)
      try checkWritable([path], force: force)
      try write(text, to: path, force: force)
      ctx.emit(.text("exported \(selected.count) runs to \(path)\n"))
    } else {
      let (runsCSV, epochsCSV) = exportCSV(selected)
      let base = (path as NSString).deletingPathExtension
      let epochsPath = base + "-epochs.csv"
      try checkWritable([path, epochsPath], force: force)
      try write(runsCSV, to: path, force: force)
      try write(epochsCSV, to: epochsPath, force: force)
      ctx.emit(
        .text(
          "exported \(selected.count) runs to \(path) (one row per run) and \(epochsPath) (one row per run and epoch)\n"
        ))
    }
  }

  /// CSV texts: one row per run, and the long per-epoch format.
  func exportCSV(_ selected: [RunRecord]) -> (runs: String, epochs: String) {
    var runsTable = Table(
      title: nil,
      columns: [
        ("run", false), ("model", false),
      ] + TrainParam.allCases.map { ($0.rawValue, false) } + [
        ("status", false), ("epochs_done", true), ("train_s", true), ("total_s", true), ("steps_per_s", true),
        ("final_train_loss", true), ("final_train_acc", true), ("final_test_loss", true), ("final_test_acc", true),
        ("best_test_acc", true), ("backend", false), ("statement", false),
      ])
    for r in selected {
      let last = r.epochs.last
      var row: [Table.Cell] = [.text(r.name), .text(r.model.description)]
      row += TrainParam.allCases.map { .text($0.text(r.config)) }
      row += [
        .text(r.status.description), .integer(r.epochs.count), .text(NumberFormatting.roundTrip(r.trainSeconds)),
        .text(NumberFormatting.roundTrip(r.totalSeconds)), .text(NumberFormatting.roundTrip(r.stepsPerSecond)),
        .text(last.map { NumberFormatting.roundTrip($0.trainLoss) } ?? ""),
        .text(last.map { NumberFormatting.roundTrip($0.trainAccuracy) } ?? ""),
        .text(last.map { NumberFormatting.roundTrip($0.testLoss) } ?? ""),
        .text(last.map { NumberFormatting.roundTrip($0.testAccuracy) } ?? ""),
        .text(r.epochs.map(\.testAccuracy).max().map(NumberFormatting.roundTrip) ?? ""), .text(r.backend),
        .text(runSources[r.name] ?? ""),
      ]
      runsTable.add(row)
    }
    let maxLinear = selected.map(\.model.linearCount).max() ?? 0
    var columns: [(String, Bool)] = [
      ("run", false), ("epoch", true), ("train_loss", true), ("train_acc", true), ("test_loss", true),
      ("test_acc", true), ("seconds", true), ("steps", true),
    ]
    for l in 0..<maxLinear {
      columns += [("grad_sq_mean_L\(l + 1)", true), ("grad_sq_sum_L\(l + 1)", true), ("weight_norm_L\(l + 1)", true)]
    }
    var epochs = Table(title: nil, columns: columns)
    for r in selected {
      for e in r.epochs {
        var row: [Table.Cell] = [
          .text(r.name), .integer(e.epoch), .text(NumberFormatting.roundTrip(e.trainLoss)),
          .text(NumberFormatting.roundTrip(e.trainAccuracy)),
          .text(NumberFormatting.roundTrip(e.testLoss)), .text(NumberFormatting.roundTrip(e.testAccuracy)),
          .text(NumberFormatting.roundTrip(e.seconds)), .integer(e.steps),
        ]
        for l in 0..<maxLinear {
          if l < e.gradSqMean.count {
            row += [
              .text(NumberFormatting.roundTrip(e.gradSqMean[l])), .text(NumberFormatting.roundTrip(e.gradSqSum[l])),
              .text(NumberFormatting.roundTrip(e.weightNorms[l])),
            ]
          } else {
            row += [.missing, .missing, .missing]
          }
        }
        epochs.add(row)
      }
    }
    return (Renderer.csv(runsTable), Renderer.csv(epochs))
  }

  /// JSON text of the runs: configuration, status, times and per-epoch history (no weights, no per-step data).
  func exportJSON(_ selected: [RunRecord]) throws -> String {
    struct ExportedRun: Encodable {
      var name: String
      var statement: String
      var model: String
      var config: TrainConfig
      var status: String
      var trainSeconds: Double
      var totalSeconds: Double
      var stepsPerSecond: Double
      var backend: String
      var device: String
      var parameterNames: [String]
      var notes: [String]
      /// What the run did on the GPU (absent for CPU runs).
      var gpuEvidence: GPUEvidence?
      var epochs: [EpochRecord]
    }
    let exported = selected.map {
      ExportedRun(
        name: $0.name, statement: runSources[$0.name] ?? "", model: $0.model.description,
        config: $0.config, status: $0.status.description, trainSeconds: $0.trainSeconds,
        totalSeconds: $0.totalSeconds, stepsPerSecond: $0.stepsPerSecond, backend: $0.backend,
        device: $0.deviceName, parameterNames: $0.parameterNames, notes: $0.notes,
        gpuEvidence: $0.gpuEvidence, epochs: $0.epochs)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    do {
      let data = try encoder.encode(["runs": exported])
      return String(decoding: data, as: UTF8.self) + "\n"
    } catch {
      throw SessionError.runtime("cannot encode runs as JSON: \(error)", hint: nil)
    }
  }
}
