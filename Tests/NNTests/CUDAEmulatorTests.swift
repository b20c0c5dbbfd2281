import Foundation
import Testing

@testable import NN

/// The GPU trainer end to end on the CPU: the real NVRTC compiles the kernels (as for a GPU),
/// and a stand-in libcuda (Emulator/cuda_emulator.cpp) runs the same kernel file as C++. Every run
/// must match the CPU backend: per-epoch loss, δ², accuracy, norms and the final parameters.
@Suite(.serialized) struct CUDAEmulatorTests {
  /// The emulator library, built once (nil: no C++ compiler or no NVRTC).
  static let emulator: String? = {
    guard CUDAKernelCompileTests.nvrtcPath != nil else { return nil }
    let compilers = ["/opt/swift/usr/bin/clang++", "/usr/bin/clang++", "/usr/bin/g++"]
    guard let cxx = compilers.first(where: { FileManager.default.isExecutableFile(atPath: $0) }),
      let dir = try? TestSupport.tempDirectory()
    else { return nil }
    let source = CUDAKernelCompileTests.projectRoot + "/Tests/NNTests/Emulator/cuda_emulator.cpp"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: cxx)
    process.arguments = [
      "-std=c++20", "-O1", "-shared", "-fPIC", "-pthread", "-w", "-o", dir + "/libcuda.so.1",
      source,
    ]
    guard (try? process.run()) != nil else { return nil }
    process.waitUntilExit()
    return process.terminationStatus == 0 ? dir + "/libcuda.so.1" : nil
  }()

  static let available = emulator != nil
  static let skipMessage =
    "needs NVRTC (see CUDAKernelCompileTests) and a C++20 compiler for the CUDA emulator"

  static func runtime() throws -> CUDARuntime {
    let emulator = try #require(emulator, Comment(rawValue: skipMessage))
    let nvrtc = try #require(CUDAKernelCompileTests.nvrtcPath)
    return CUDARuntime(environment: ["NNDSL_CUDA_PATH": emulator, "NNDSL_NVRTC_PATH": nvrtc])
  }

  struct ParityCase: Sendable, CustomTestStringConvertible {
    var label: String
    var model: ModelSpec
    var edit: @Sendable (inout TrainConfig) -> Void
    var graphSteps: Int
    var environment: [String: String] = [:]
    var testDescription: String { label }
  }

  static let small = ModelSpec(
    inputWidth: 16, layers: [.init(width: 8, activation: .relu), .init(width: 3)])

  static let cases: [ParityCase] = [
    ParityCase(label: "adam baseline, graphs of 2", model: small, edit: { _ in }, graphSteps: 2),
    ParityCase(label: "adam, direct launches", model: small, edit: { _ in }, graphSteps: 0),
    ParityCase(
      label: "adam, without the fused head", model: small, edit: { _ in }, graphSteps: 2,
      environment: ["NNDSL_CUDA_FUSED_HEAD": "0"]),
    ParityCase(
      label: "sgd with momentum and weight decay", model: small,
      edit: {
        $0.optimizer = .sgd
        $0.lr = 0.05
        $0.momentum = 0.9
        $0.weightDecay = 1e-3
      }, graphSteps: 3),
    ParityCase(
      label: "plain sgd", model: small,
      edit: {
        $0.optimizer = .sgd
        $0.lr = 0.1
      }, graphSteps: 1),
    ParityCase(label: "zero_grad off", model: small, edit: { $0.zeroGrad = false }, graphSteps: 2),
    ParityCase(
      label: "three layers, tanh and sigmoid, activation on the logits",
      model: ModelSpec(
        inputWidth: 16,
        layers: [
          .init(width: 40, activation: .tanh), .init(width: 6, activation: .sigmoid),
          .init(width: 3, activation: .relu),
        ]), edit: { $0.lr = 3e-3 }, graphSteps: 2),
  ]

  @Test(.enabled(if: available, Comment(rawValue: skipMessage)), arguments: cases)
  func gpuTrainerMatchesTheCPUBackend(_ c: ParityCase) throws {
    let data = try TestSupport.separableData(train: 70, test: 30)  // batch 16: last batch of 6
    var config = TrainConfig()
    config.batch = 16
    config.epochs = 3
    config.seed = 5
    c.edit(&config)
    config.device = .cpu
    let cpu = try Trainer(model: c.model, config: config, data: data).run(name: "cpu")
    config.device = .gpu
    let gpu = try CUDATrainer(
      model: c.model, config: config, data: data, runtime: Self.runtime(),
      tuning: CUDATuning(environment: c.environment.merging(["NNDSL_CUDA_GRAPH_STEPS": String(c.graphSteps)]) { $1 })
    ).run(name: "gpu", notes: [], progress: { _ in }, shouldStop: { false })

    #expect(gpu.status == .finished)
    #expect(gpu.epochs.count == cpu.epochs.count)
    #expect(gpu.stepLoss.count == cpu.stepLoss.count)
    for (g, r) in zip(gpu.epochs, cpu.epochs) {
      #expect(Self.close(g.trainLoss, r.trainLoss, 1e-4), "epoch \(r.epoch) loss \(g.trainLoss) vs \(r.trainLoss)")
      #expect(g.trainAccuracy == r.trainAccuracy)
      #expect(Self.close(g.testLoss, r.testLoss, 1e-4), "test loss \(g.testLoss) vs \(r.testLoss)")
      #expect(g.testAccuracy == r.testAccuracy)
      #expect(g.steps == r.steps)
      for (a, b) in zip(g.gradSqMean, r.gradSqMean) {
        #expect(Self.close(a, b, 1e-3), "δ² \(a) vs \(b)")
      }
      for (a, b) in zip(g.weightNorms + g.gradNorms, r.weightNorms + r.gradNorms) {
        #expect(Self.close(a, b, 1e-3), "norm \(a) vs \(b)")
      }
    }
    let diff = zip(gpu.finalParameters, cpu.finalParameters).map { Double($0 - $1) }
    let scale = cpu.finalParameters.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
    let error = diff.map { $0 * $0 }.reduce(0, +).squareRoot() / scale
    #expect(error < 1e-4, "relative parameter difference \(error)")
    let evidence = try #require(gpu.notes.first { $0.hasPrefix(GPUEvidence.prefix) })
    #expect(evidence.contains("device CPU emulator of a CUDA device"))
    #expect(gpu.backend.hasPrefix("cuda: CPU emulator"))
  }

  @Test(.enabled(if: available, Comment(rawValue: skipMessage)))
  func evidenceCountsKernelsAndProducts() throws {
    let data = try TestSupport.separableData(train: 64, test: 20)
    var config = TrainConfig()
    config.batch = 16
    config.epochs = 2
    let gpu = try CUDATrainer(
      model: Self.small, config: config, data: data, runtime: Self.runtime(),
      tuning: CUDATuning(environment: ["NNDSL_CUDA_GRAPH_STEPS": "2"])
    ).run(name: "gpu", notes: [.remark("setup")], progress: { _ in }, shouldStop: { false })
    // 4 steps per epoch = 2 graph launches of 2 steps × 3 kernels (forward, head, update);
    // evaluation: 1 chunk × 3 kernels (2 forwards, softmax-CE).
    let note = try #require(gpu.notes.last)
    #expect(gpu.notes.first == "setup")
    #expect(note.contains("kernels launched \(2 * (2 * 2 * 3) + 2 * 3) (4 graph launches)"), "\(note)")
    #expect(note.contains("GEMM calls \(8 * 5 + 2 * 2)"), "\(note)")
    // The same counts, structured, for the report and the JSON export.
    let evidence = try #require(gpu.gpuEvidence)
    #expect(evidence.kernelsLaunched == 2 * (2 * 2 * 3) + 2 * 3)
    #expect(evidence.graphLaunches == 4 && evidence.graphSteps == 2)
    #expect(evidence.gemmCalls == 8 * 5 + 2 * 2)
    #expect(evidence.bytesAllocated > 0 && note == evidence.note)
  }

  @Test(.enabled(if: available, Comment(rawValue: skipMessage)))
  func divergenceAndInterruptionEndTheRunLikeTheCPU() throws {
    let data = try TestSupport.separableData(train: 64, test: 20)
    var config = TrainConfig()
    config.batch = 8
    config.epochs = 2
    config.optimizer = .sgd
    config.lr = 1e30
    let runtime = try Self.runtime()
    let diverged = try CUDATrainer(
      model: Self.small, config: config, data: data, runtime: runtime,
      tuning: CUDATuning(environment: ["NNDSL_CUDA_GRAPH_STEPS": "2"])
    ).run(name: "gpu", notes: [], progress: { _ in }, shouldStop: { false })
    config.device = .cpu
    let reference = try Trainer(model: Self.small, config: config, data: data).run(name: "cpu")
    #expect(diverged.status == reference.status)
    #expect(diverged.epochs.isEmpty)

    config.lr = 1e-3
    config.optimizer = .adam
    var calls = 0
    let stopped = try CUDATrainer(
      model: Self.small, config: config, data: data, runtime: runtime,
      tuning: CUDATuning(environment: ["NNDSL_CUDA_GRAPH_STEPS": "0"])
    ).run(
      name: "gpu", notes: [], progress: { _ in },
      shouldStop: {
        calls += 1
        return calls > 1
      })
    // Stop requests are polled every read interval (16 steps here), so epoch 1 (8 steps) completes.
    #expect(stopped.status == .interrupted(epoch: 2, step: 1))
    #expect(stopped.epochs.count == 1)
    #expect(stopped.epochs.first?.steps == 8)
  }

  @Test(.enabled(if: available, Comment(rawValue: skipMessage)))
  func profilerTimesEveryKernelOfAStep() throws {
    let data = try TestSupport.separableData(train: 64, test: 20)
    let rows = try CUDAProfiler.profile(
      data: data, model: Self.small, batch: 16, repeats: 2, runtime: Self.runtime())
    let names = rows.map(\.0)
    // 3 kernels, graph step, direct step, layer 1 forward and the step at 1, 2, 4 rows/warp, the
    // step without the fused head (no cuBLAS here).
    #expect(names.count == 3 + 2 + 6 + 1)
    #expect(names[0].hasPrefix("kernel 1 nn_linear_forward <<<"))
    #expect(names[1].hasPrefix("kernel 2 nn_head <<<1, 1024>>>"))
    #expect(names[2].hasPrefix("kernel 3 nn_update <<<"))
    #expect(names[3] == "step, graph of 2 steps")
    #expect(names[5].hasPrefix("forward layer 1, 1 rows/warp (default) <<<"))
    #expect(names[6] == "step, graph, forward 1 rows/warp (default)")
    #expect(names[9].hasPrefix("forward layer 1, 4 rows/warp <<<"))
    #expect(names[11] == "step, graph, without the fused head (5 kernels)")
    #expect(rows.allSatisfy { $0.1 > 0 })
  }

  /// Grouping rows per warp in the forward kernel changes which warp computes a row, never the
  /// order of a row's sums: runs must be bit-identical, with groups that do not divide the batch
  /// (batch 16 and a last batch of 6 at 3 and 4 rows per warp), in training and evaluation.
  @Test(.enabled(if: available, Comment(rawValue: skipMessage)))
  func forwardRowGroupsGiveBitIdenticalRuns() throws {
    func run(_ rows: Int) throws -> RunRecord {
      try Self.twoEpochRun(seed: 3, environment: ["NNDSL_CUDA_FORWARD_ROWS": String(rows)])
    }
    let reference = try run(1)
    #expect(reference.status == .finished)
    for rows in [2, 3, 4] {
      let other = try run(rows)
      #expect(other.finalParameters == reference.finalParameters, "\(rows) rows per warp")
      #expect(other.stepLoss == reference.stepLoss, "\(rows) rows per warp")
      #expect(other.epochs.map(\.testLoss) == reference.epochs.map(\.testLoss), "\(rows) rows per warp")
      #expect(other.epochs.map(\.gradSqMean) == reference.epochs.map(\.gradSqMean), "\(rows) rows per warp")
    }
  }

  /// The fused head computes the same logits, dlogits and δ as the three kernels it replaces:
  /// identical parameters and losses; only the hidden layer's δ² is summed in another order.
  /// A 3-layer model also runs nn_backward_delta below the head.
  @Test(.enabled(if: available, Comment(rawValue: skipMessage)))
  func fusedHeadMatchesTheSeparateKernels() throws {
    let deep = ModelSpec(
      inputWidth: 16,
      layers: [.init(width: 12, activation: .tanh), .init(width: 8, activation: .relu), .init(width: 3)])
    for model in [Self.small, deep] {
      func run(_ fused: Bool) throws -> RunRecord {
        try Self.twoEpochRun(model: model, seed: 4, environment: ["NNDSL_CUDA_FUSED_HEAD": fused ? "1" : "0"])
      }
      let fused = try run(true)
      let separate = try run(false)
      #expect(fused.status == .finished && separate.status == .finished)
      #expect(fused.finalParameters == separate.finalParameters, "\(model)")
      #expect(fused.stepLoss == separate.stepLoss, "\(model)")
      #expect(fused.epochs.map(\.trainAccuracy) == separate.epochs.map(\.trainAccuracy))
      for (f, s) in zip(fused.stepGradSq.joined(), separate.stepGradSq.joined()) {
        #expect(Self.close(Double(f), Double(s), 1e-5), "δ² \(f) vs \(s)")
      }
      let kernels = (fused.gpuEvidence?.kernelsLaunched ?? 0, separate.gpuEvidence?.kernelsLaunched ?? 0)
      let steps = fused.epochs.reduce(0) { $0 + $1.steps }
      #expect(kernels.1 - kernels.0 == 2 * steps, "two launches fewer per step: \(kernels)")
    }
  }

  /// The study's own shapes: 784-128-relu-10 at batch 32 (2 rows per warp in the forward kernel,
  /// the fused head over 128 hidden units, 101,770 parameters in the update), a few steps
  /// against the CPU backend for Adam, SGD and zero_grad=off.
  @Test(.enabled(if: available, Comment(rawValue: skipMessage)), arguments: ["adam", "sgd", "zero_grad=off"])
  func baselineShapeMatchesTheCPUBackend(_ variant: String) throws {
    let data = try TestSupport.separableData(train: 80, test: 20, width: 784, classes: 10)
    var config = TrainConfig()
    config.batch = 32  // steps of 32, 32 and 16 rows
    config.epochs = 1
    config.seed = 2
    if variant == "sgd" {
      config.optimizer = .sgd
      config.lr = 0.05
    }
    if variant == "zero_grad=off" { config.zeroGrad = false }
    config.device = .cpu
    let cpu = try Trainer(model: .baseline, config: config, data: data).run(name: "cpu")
    let gpu = try CUDATrainer(
      model: .baseline, config: config, data: data, runtime: Self.runtime(),
      tuning: CUDATuning(environment: ["NNDSL_CUDA_GRAPH_STEPS": "2"])
    ).run(name: "gpu", notes: [], progress: { _ in }, shouldStop: { false })
    #expect(gpu.status == .finished && gpu.stepLoss.count == 3)
    for (g, c) in zip(gpu.stepLoss, cpu.stepLoss) {
      #expect(Self.close(Double(g), Double(c), 1e-5), "step loss \(g) vs \(c)")
    }
    for (g, c) in zip(gpu.stepGradSq.joined(), cpu.stepGradSq.joined()) {
      #expect(Self.close(Double(g), Double(c), 1e-4), "δ² \(g) vs \(c)")
    }
    let diff = zip(gpu.finalParameters, cpu.finalParameters).map { Double($0 - $1) }
    let scale = cpu.finalParameters.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
    let error = diff.map { $0 * $0 }.reduce(0, +).squareRoot() / scale
    #expect(error < 1e-5, "relative parameter difference \(error)")
    #expect(gpu.epochs.first?.testAccuracy == cpu.epochs.first?.testAccuracy)
    // 3 kernels per step, 2 forwards + softmax-CE for the one evaluation chunk.
    #expect(gpu.gpuEvidence?.kernelsLaunched == 3 * 3 + 3)
  }

  @Test(.enabled(if: available, Comment(rawValue: skipMessage)))
  func evaluationRunsInChunksLikeTheCPU() throws {
    let data = try TestSupport.separableData(train: 40, test: 2_100)  // chunks 1000, 1000, 100
    var config = TrainConfig()
    config.batch = 16
    config.epochs = 1
    config.device = .cpu
    let cpu = try Trainer(model: Self.small, config: config, data: data).run(name: "cpu")
    let gpu = try CUDATrainer(
      model: Self.small, config: config, data: data, runtime: Self.runtime(),
      tuning: CUDATuning(environment: ["NNDSL_CUDA_GRAPH_STEPS": "1"])
    ).run(name: "gpu", notes: [], progress: { _ in }, shouldStop: { false })
    let g = try #require(gpu.epochs.first)
    let c = try #require(cpu.epochs.first)
    #expect(g.testAccuracy == c.testAccuracy)
    #expect(Self.close(g.testLoss, c.testLoss, 1e-5), "\(g.testLoss) vs \(c.testLoss)")
  }

  @Test(.enabled(if: available, Comment(rawValue: skipMessage)))
  func refusedGraphCaptureFallsBackToDirectLaunches() throws {
    let data = try TestSupport.separableData(train: 48, test: 20)
    var config = TrainConfig()
    config.batch = 16
    config.epochs = 1
    setenv("NN_EMU_FAIL_CAPTURE", "1", 1)
    defer { unsetenv("NN_EMU_FAIL_CAPTURE") }
    let gpu = try CUDATrainer(
      model: Self.small, config: config, data: data, runtime: Self.runtime(),
      tuning: CUDATuning(environment: ["NNDSL_CUDA_GRAPH_STEPS": "2"])
    ).run(name: "gpu", notes: [], progress: { _ in }, shouldStop: { false })
    #expect(gpu.status == .finished)
    #expect(gpu.notes.contains { $0.hasPrefix("CUDA graph capture failed, using direct launches:") })
    #expect(gpu.backend.hasSuffix("direct launches"))
    #expect(gpu.notes.last?.contains("kernels launched \(3 * 3 + 3) (0 graph launches)") == true)
  }

  /// Two epochs at batch 16 over 70 rows (a last batch of 6) on the emulator, graphs of 2 steps,
  /// with extra trainer settings in `environment`.
  static func twoEpochRun(
    model: ModelSpec = small, seed: UInt64, environment: [String: String]
  ) throws -> RunRecord {
    let data = try TestSupport.separableData(train: 70, test: 30)
    var config = TrainConfig()
    config.batch = 16
    config.epochs = 2
    config.seed = seed
    return try CUDATrainer(
      model: model, config: config, data: data, runtime: Self.runtime(),
      tuning: CUDATuning(environment: environment.merging(["NNDSL_CUDA_GRAPH_STEPS": "2"]) { $1 })
    ).run(name: "gpu", notes: [], progress: { _ in }, shouldStop: { false })
  }

  static func close(_ a: Double, _ b: Double, _ relative: Double) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return abs(a - b) <= relative * max(abs(a), abs(b), 1e-12)
  }
}

/// How many rows each warp of the forward kernel takes, by shape (and the override).
@Suite struct ForwardRowGroupingTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let rows, fanOut: Int
    let forced: Int?
    let expected: Int
    var testDescription: String { "\(rows)×\(fanOut) forced \(forced.map(String.init) ?? "-") → \(expected)" }
  }

  static let cases = [
    Case(rows: 16, fanOut: 128, forced: nil, expected: 1),
    Case(rows: 32, fanOut: 128, forced: nil, expected: 2),
    Case(rows: 64, fanOut: 128, forced: nil, expected: 4),
    Case(rows: 1000, fanOut: 128, forced: nil, expected: 4),  // evaluation chunks
    Case(rows: 32, fanOut: 10, forced: nil, expected: 1),  // the output layer
    Case(rows: 6, fanOut: 128, forced: nil, expected: 1),  // a short last batch
    Case(rows: 32, fanOut: 128, forced: 3, expected: 3),
    Case(rows: 32, fanOut: 128, forced: 9, expected: 4),
    Case(rows: 32, fanOut: 128, forced: 0, expected: 1),
  ]

  @Test(arguments: cases)
  func rowsPerWarp(_ c: Case) {
    #expect(CUDARunPlan.forwardRows(rows: c.rows, fanOut: c.fanOut, forced: c.forced) == c.expected)
  }
}
