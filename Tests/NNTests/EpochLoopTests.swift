import Testing

@testable import NN

/// The one epoch loop on a scripted engine, the run's shape, the epoch-end callback of real CPU
/// runs, the GPU tuning read from an environment, and the notes' lines.
@Suite struct EpochLoopTests {
  /// An engine whose steps cost nothing: every step's loss is 1 (NaN at `nanAt`, a 1-based global
  /// step), 1 correct, δ² 0.5; it records the step ranges it was asked to run.
  final class ScriptedEngine: StepEngine {
    typealias Failure = Never
    let readInterval: Int
    let setupNotes: [RunNote] = [.remark("engine set up")]
    let backend = "scripted"
    let deviceName = "none"
    let nanAt: Int?
    let stride: Int
    var ranges: [Range<Int>] = []
    var epochBegins: [Int] = []
    private var epochSteps: [Float] = []

    init(readInterval: Int, model: ModelSpec, nanAt: Int? = nil) {
      self.readInterval = readInterval
      self.nanAt = nanAt
      stride = StepMetrics.stride(model)
    }

    func beginEpoch(order: [Int32], globalStep: Int) {
      epochBegins.append(globalStep)
      epochSteps = []
    }

    func runSteps(_ steps: Range<Int>, globalStep: Int) -> [Float] {
      ranges.append(steps)
      var values: [Float] = []
      for i in 0..<steps.count {
        let loss: Float = globalStep + i + 1 == nanAt ? .nan : 1
        values += [loss, 1] + [Float](repeating: 0.5, count: stride - 2)
      }
      epochSteps += values
      return values
    }

    func synchronize() {}
    func epochMetrics(steps: Int) -> [Float] { Array(epochSteps.prefix(steps * stride)) }
    func measureEpoch() -> EpochMeasures {
      EpochMeasures(weightNorms: [1, 1], gradNorms: [1, 1, 1, 1], testLossSum: 2, testCorrect: 1)
    }
    func finish(globalStep: Int, epochs: Int) -> (parameters: [Float], evidence: GPUEvidence?) {
      ([42], nil)
    }
  }

  static let model = ModelSpec(
    inputWidth: 4, layers: [.init(width: 3, activation: .relu), .init(width: 2)])

  /// 10 examples in batches of 3: 4 steps per epoch, the last of 1 row.
  static func loop(epochs: Int = 2) -> EpochLoop {
    var config = TrainConfig()
    config.batch = 3
    config.epochs = epochs
    return EpochLoop(
      name: "scripted", model: model, config: config,
      shape: RunShape(batch: 3, trainCount: 10), testCount: 4)
  }

  @Test func stepsRunInChunksOfTheReadIntervalAndStopsArePolledPerChunk() {
    let engine = ScriptedEngine(readInterval: 3, model: Self.model)
    var rng = RandomGenerator(seed: 0)
    var polls = 0
    var progress: [TrainProgress] = []
    var ended: [RunRecord] = []
    let record = Self.loop().run(
      engine, rng: &rng, totalStart: Clock.now(), notes: [.remark("setup")],
      progress: { progress.append($0) }, epochEnded: { ended.append($0) },
      shouldStop: {
        polls += 1
        return false
      })
    #expect(engine.ranges == [0..<3, 3..<4, 0..<3, 3..<4])
    #expect(engine.epochBegins == [0, 4])
    #expect(polls == 4)
    #expect(progress.map(\.step) == [3, 4, 3, 4])
    #expect(progress.map(\.globalStep) == [3, 4, 7, 8])
    #expect(progress[0].runningAccuracy == 3.0 / 9.0 && progress[1].runningAccuracy == 4.0 / 10.0)
    #expect(record.status == .finished)
    #expect(record.epochs.map(\.steps) == [4, 4])
    #expect(record.stepLoss.count == 8 && record.stepGradSq[1].count == 8)
    #expect(record.finalParameters == [42])
    #expect(record.notes == ["setup", "engine set up"])
    #expect(record.epochs[0].testLoss == 0.5 && record.epochs[0].testAccuracy == 0.25)
    // After each epoch: the record so far, without the final parameters.
    #expect(ended.map(\.epochs.count) == [1, 2])
    #expect(ended.map(\.stepLoss.count) == [4, 8])
    #expect(ended.allSatisfy { $0.finalParameters.isEmpty && $0.status == .finished })
    #expect(ended.last?.epochs.map(\.trainLoss) == record.epochs.map(\.trainLoss))
  }

  @Test func divergenceInsideAChunkEndsTheRunAtThatStep() {
    let engine = ScriptedEngine(readInterval: 3, model: Self.model, nanAt: 6)
    var rng = RandomGenerator(seed: 0)
    var ended = 0
    let record = Self.loop().run(
      engine, rng: &rng, totalStart: Clock.now(), notes: [], progress: { _ in },
      epochEnded: { _ in ended += 1 }, shouldStop: { false })
    #expect(record.status == .diverged(epoch: 2, step: 2))
    #expect(record.epochs.count == 1 && ended == 1)
    #expect(record.stepLoss.count == 6 && record.stepLoss.last?.isNaN == true)
    #expect(record.notes.last == "diverged: loss became nan at epoch 2 step 2; epoch 2 has no epoch record")
  }

  @Test func anInterruptedEpochIsKeptAsAPartialOne() {
    let engine = ScriptedEngine(readInterval: 1, model: Self.model)
    var rng = RandomGenerator(seed: 0)
    var polls = 0
    var ended: [RunRecord] = []
    let record = Self.loop().run(
      engine, rng: &rng, totalStart: Clock.now(), notes: [], progress: { _ in },
      epochEnded: { ended.append($0) },
      shouldStop: {
        polls += 1
        return polls > 6
      })
    #expect(record.status == .interrupted(epoch: 2, step: 3))
    #expect(record.epochs.map(\.steps) == [4, 2])
    #expect(record.runNotes.contains(.partialEpoch(epoch: 2, steps: 2, of: 4)))
    #expect(ended.count == 2 && ended[1].status == .interrupted(epoch: 2, step: 3))
  }

  /// Real CPU runs: `epochEnded` sees every epoch as it is appended.
  @Test func trainerRunReportsEachEpochRecord() throws {
    let data = try TestSupport.separableData(train: 40, test: 8)
    var config = TrainConfig()
    config.device = .cpu
    config.batch = 8
    config.epochs = 3
    var ended: [RunRecord] = []
    let record = try Trainer(model: TrainerTests.small, config: config, data: data)
      .run(name: "e", epochEnded: { ended.append($0) })
    #expect(ended.map(\.epochs.count) == [1, 2, 3])
    #expect(ended.map(\.stepLoss.count) == [5, 10, 15])
    #expect(ended.map { $0.stepGradSq[0].count } == [5, 10, 15])
    #expect(ended.allSatisfy { $0.name == "e" && $0.finalParameters.isEmpty })
    #expect(ended.last?.stepLoss == record.stepLoss)
    #expect(ended.last?.epochs.map(\.testAccuracy) == record.epochs.map(\.testAccuracy))
    #expect(ended[0].trainSeconds <= ended[2].trainSeconds)
  }

  struct ShapeCase: Sendable, CustomTestStringConvertible {
    let batch, trainCount, expectedBatch, steps, last: Int
    var testDescription: String { "batch \(batch) of \(trainCount)" }
  }

  @Test(arguments: [
    ShapeCase(batch: 32, trainCount: 60_000, expectedBatch: 32, steps: 1875, last: 32),
    ShapeCase(batch: 64, trainCount: 60_000, expectedBatch: 64, steps: 938, last: 32),
    ShapeCase(batch: 16, trainCount: 70, expectedBatch: 16, steps: 5, last: 6),
    ShapeCase(batch: 100, trainCount: 7, expectedBatch: 7, steps: 1, last: 7),
    ShapeCase(batch: 1, trainCount: 3, expectedBatch: 1, steps: 3, last: 1),
  ])
  func runShape(_ c: ShapeCase) {
    let shape = RunShape(batch: c.batch, trainCount: c.trainCount)
    #expect(shape.batch == c.expectedBatch)
    #expect(shape.stepsPerEpoch == c.steps)
    #expect(shape.lastBatch == c.last)
    #expect(shape.start(ofStep: shape.stepsPerEpoch - 1) + shape.lastBatch == c.trainCount)
    #expect(shape.seen(steps: shape.stepsPerEpoch) == c.trainCount)
    #expect(shape.seen(steps: 1) == c.expectedBatch)
  }

  struct TuningCase: Sendable, CustomTestStringConvertible {
    let environment: [String: String]
    let expected: CUDATuning
    var testDescription: String { "\(environment)" }
  }

  @Test(arguments: [
    TuningCase(environment: [:], expected: CUDATuning(graphSteps: 32, forwardRows: nil, fusedHead: true)),
    TuningCase(
      environment: ["NNDSL_CUDA_GRAPH_STEPS": "0", "NNDSL_CUDA_FORWARD_ROWS": "3", "NNDSL_CUDA_FUSED_HEAD": "0"],
      expected: CUDATuning(graphSteps: 0, forwardRows: 3, fusedHead: false)),
    TuningCase(
      environment: ["NNDSL_CUDA_GRAPH_STEPS": "5000", "NNDSL_CUDA_FORWARD_ROWS": "9"],
      expected: CUDATuning(graphSteps: 1024, forwardRows: 4, fusedHead: true)),
    TuningCase(
      environment: ["NNDSL_CUDA_GRAPH_STEPS": "many", "NNDSL_CUDA_FORWARD_ROWS": "-2", "NNDSL_CUDA_FUSED_HEAD": "1"],
      expected: CUDATuning(graphSteps: 32, forwardRows: 1, fusedHead: true)),
  ])
  func tuningFromTheEnvironment(_ c: TuningCase) {
    let tuning = CUDATuning(environment: c.environment)
    #expect(tuning == c.expected)
    #expect(tuning.readInterval == max(tuning.graphSteps, 1) * 16)
    #expect(tuning.with(graphSteps: 2).graphSteps == 2)
    #expect(tuning.with(graphSteps: 2).fusedHead == tuning.fusedHead)
  }

  @Test(arguments: [
    (RunNote.cpuFallback(reason: "no libcuda.so.1"), "device=auto: training on the CPU (no libcuda.so.1)", true),
    (
      .gpuFailedFallback(error: "out of memory"), "device=auto: the GPU failed, training on the CPU (out of memory)",
      true
    ),
    (.gpuError("no device"), "GPU error: no device", true),
    (.graphCaptureFailed(error: "refused"), "CUDA graph capture failed, using direct launches: refused", false),
    (
      .diverged(loss: .infinity, epoch: 2, step: 7),
      "diverged: loss became inf at epoch 2 step 7; epoch 2 has no epoch record", false
    ),
    (.partialEpoch(epoch: 3, steps: 5, of: 9), "epoch 3 is partial: 5 of 9 steps", false),
    (.blasSetup("OpenBLAS core re-selected"), "OpenBLAS core re-selected", false),
    (.remark("setup"), "setup", false),
  ])
  func notesRenderAsTheirLines(_ note: RunNote, _ text: String, _ explainsCPU: Bool) {
    #expect(note.text == text)
    #expect(note.explainsCPURun == explainsCPU)
  }

  @Test func evidenceNoteKeepsItsPrefixAndTextNotesBecomeRemarks() {
    let evidence = GPUEvidence(
      device: "D", capability: "9.0", moduleForm: "CUBIN sm_90", nvrtcVersion: "13.0",
      driverVersion: "13.0", kernelsLaunched: 1, graphLaunches: 0, graphSteps: 0, gemmCalls: 1,
      bytesAllocated: 1, peakDeviceMemory: 1)
    #expect(RunNote.gpuEvidence(evidence).text.hasPrefix(GPUEvidence.prefix))
    var record = RunRecord(
      name: "r", model: Self.model, config: TrainConfig(), epochs: [], stepGradSq: [], stepLoss: [],
      status: .finished, trainSeconds: 0, totalSeconds: 0, stepsPerSecond: 0, backend: "", deviceName: "",
      parameterNames: [], finalParameters: [], runNotes: [.gpuEvidence(evidence)])
    #expect(record.notes == [evidence.note])
    record.notes = ["a"]
    #expect(record.runNotes == [.remark("a")])
  }
}
