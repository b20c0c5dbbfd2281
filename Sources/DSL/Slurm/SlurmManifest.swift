import Foundation
import NN

/// Everything an array task needs to train its runs, written once per job into its spool
/// directory (`manifest.json`): the runs with their resolved configuration and model, where the
/// data is, and how the job was submitted.
struct SlurmManifest: Codable, Sendable, Equatable {
  /// The manifest format; a task refuses another one.
  static let currentVersion = 1

  /// One run of the job.
  struct Run: Codable, Sendable, Equatable {
    /// The run's name.
    var name: String
    /// The statement that made it (kept as the run's source).
    var statement: String
    /// The resolved configuration.
    var config: TrainConfig
    /// The network.
    var model: ModelSpec
  }

  /// Where the data is: the directory the session loaded from and the limits of `load`.
  struct DataLocation: Codable, Sendable, Equatable {
    /// The absolute directory of the IDX files.
    var directory: String
    /// Training and test examples kept (the first N).
    var trainLimit: Int
    var testLimit: Int
    /// The data set in words, as the run store keeps it.
    var description: String
  }

  var version = SlurmManifest.currentVersion
  /// The runs, in run order; array task i trains runs [i*pack, min((i+1)*pack, n)).
  var runs: [Run]
  /// Runs per array task.
  var pack: Int
  /// The data.
  var data: DataLocation
  /// The options the job was submitted with.
  var options: SlurmOptions
  /// When the manifest was written.
  var created: Date
  /// The kernel binary the tasks run.
  var kernel: String

  /// The number of array tasks.
  var tasks: Int { SlurmPacking.tasks(runs: runs.count, pack: pack) }
}

/// Live progress of one run, written by its task (`progress/<run>.json`).
struct SlurmProgress: Codable, Sendable, Equatable {
  var run: String
  var epoch: Int
  var epochs: Int
  var step: Int
  var stepsPerEpoch: Int
  /// Running loss and accuracy of the epoch so far.
  var loss: Double
  var accuracy: Double
  /// The last finished epoch's test accuracy, when one finished.
  var testAccuracy: Double?
  /// Seconds since the run started.
  var elapsed: Double
}

/// What a task reports for one run (`results/<run>.json`, weights in `results/<run>.weights`).
struct SlurmResult: Codable, Sendable {
  var run: String
  /// The record without its weights; nil when the run failed before training.
  var record: RunRecord?
  /// Why the run failed (an error the engine threw); nil when it trained.
  var error: String?
  /// Where it ran: host, job and task.
  var origin: String
  /// When the run started and ended in the task.
  var startedAt: Date
  var endedAt: Date
  /// Parameters in the weights file (0: none).
  var weightCount: Int

  /// Whether the run trained (finished, diverged or interrupted).
  var trained: Bool { record != nil && error == nil }
}

/// The files of one job on the shared file system.
struct SlurmSpool: Sendable, Equatable {
  /// The job's directory.
  let directory: String

  init(directory: String) { self.directory = directory }

  var manifestPath: String { directory + "/manifest.json" }
  var scriptPath: String { directory + "/job.sh" }
  var logsDirectory: String { directory + "/logs" }
  var progressDirectory: String { directory + "/progress" }
  var resultsDirectory: String { directory + "/results" }
  func progressPath(_ run: String) -> String { progressDirectory + "/\(run).json" }
  func resultPath(_ run: String) -> String { resultsDirectory + "/\(run).json" }
  func weightsPath(_ run: String) -> String { resultsDirectory + "/\(run).weights" }
  func logPath(job: String, task: Int) -> String { logsDirectory + "/\(job)_\(task).out" }

  static let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .prettyPrinted]
    e.dateEncodingStrategy = .secondsSince1970
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }()
  static let decoder: JSONDecoder = {
    let d = JSONDecoder()
    d.dateDecodingStrategy = .secondsSince1970
    d.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return d
  }()

  /// Creates the directory and its `logs`, `progress` and `results` folders.
  func create() throws {
    let fm = FileManager.default
    for dir in [directory, logsDirectory, progressDirectory, resultsDirectory] {
      try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
  }

  /// Writes `data` to `path` atomically (`FileDestination`: a temporary file beside it, flushed,
  /// then renamed), so a reader on another node sees the old file or the whole new one.
  static func writeAtomically(_ data: Data, to path: String) throws {
    do {
      try FileDestination.write(data, to: path)
    } catch {
      throw SlurmError.spool(error.description)
    }
  }

  static func write<T: Encodable>(_ value: T, to path: String) throws {
    try writeAtomically(try encoder.encode(value), to: path)
  }

  static func read<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SlurmError.spool("cannot read \(path)")
    }
    do {
      return try decoder.decode(T.self, from: data)
    } catch {
      throw SlurmError.spool("\(path) is not a valid spool file: \(error)")
    }
  }

  /// The job's manifest.
  func manifest() throws -> SlurmManifest {
    let m = try Self.read(SlurmManifest.self, from: manifestPath)
    guard m.version == SlurmManifest.currentVersion else {
      throw SlurmError.spool(
        "\(manifestPath) has manifest version \(m.version); this kernel reads version \(SlurmManifest.currentVersion)")
    }
    return m
  }

  /// A run's progress, when its task wrote one.
  func progress(_ run: String) -> SlurmProgress? { try? Self.read(SlurmProgress.self, from: progressPath(run)) }

  /// A run's result, when its task wrote one; its weights are read along.
  func result(_ run: String) -> (result: SlurmResult, weights: [Float])? {
    guard FileManager.default.fileExists(atPath: resultPath(run)),
      let result = try? Self.read(SlurmResult.self, from: resultPath(run))
    else { return nil }
    var weights: [Float] = []
    if result.weightCount > 0 {
      guard let data = FileManager.default.contents(atPath: weightsPath(run)) else { return nil }
      weights = FloatBlob.decodeFloats([UInt8](data))
      // The weights are written before the result: a short file is a broken one.
      guard weights.count == result.weightCount else { return nil }
    }
    return (result, weights)
  }

  /// The last `lines` lines of a task's log ("" when there is none).
  func logTail(job: String, task: Int, lines: Int = 10) -> String {
    guard let data = FileManager.default.contents(atPath: logPath(job: job, task: task)) else { return "" }
    let text = String(decoding: data.suffix(64 * 1024), as: UTF8.self)
    return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
      .joined(separator: "\n").trimmingCharacters(in: .newlines)
  }
}

/// A failure of the Slurm executor, with what to do.
enum SlurmError: Error, Equatable, CustomStringConvertible {
  /// Slurm's tools are missing or its controller does not answer.
  case unavailable(String)
  /// sbatch refused the job.
  case submission(String)
  /// The spool directory cannot be written or read.
  case spool(String)

  var description: String {
    switch self {
    case .unavailable(let m), .submission(let m), .spool(let m): return m
    }
  }
}
