import Foundation
import Testing

@testable import NN

/// Training runs end to end on small generated data, and bad models/configs are refused.
struct TrainerTests {
  static let small = ModelSpec(
    inputWidth: 16, layers: [.init(width: 12, activation: .relu), .init(width: 3)])

  static func config(_ edit: (inout TrainConfig) -> Void = { _ in }) -> TrainConfig {
    var c = TrainConfig()
    c.device = .cpu
    c.batch = 8
    c.epochs = 4
    c.lr = 1e-2
    edit(&c)
    return c
  }

  @Test func accuracyRisesOnSeparableData() throws {
    let data = try TestSupport.separableData(train: 300, test: 90)
    let record = try Trainer(model: Self.small, config: Self.config(), data: data).run(name: "t")
    #expect(record.status == .finished)
    #expect(record.epochs.count == 4)
    let first = record.epochs[0]
    let last = record.epochs[3]
    #expect(last.testAccuracy > 0.95)
    #expect(last.trainLoss < first.trainLoss)
    #expect(record.stepLoss.count == 4 * 38)  // 300 / 8 → 38 steps, last partial batch kept
    #expect(record.stepGradSq.count == 2 && record.stepGradSq[0].count == 4 * 38)
    #expect(first.steps == 38)
    #expect(record.parameterNames == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
    #expect(last.gradNorms.count == 4 && last.weightNorms.count == 2)
    #expect(last.gradSqMean[0] > 0 && abs(last.gradSqSum[0] / 38 - last.gradSqMean[0]) < 1e-12)
    #expect(record.finalParameters.count == Self.small.parameterCount)
    #expect(record.trainSeconds > 0 && record.totalSeconds >= record.trainSeconds)
    #expect(record.backend.hasPrefix("cpu: OpenBLAS"))
    // Evaluating the final parameters reproduces the last test accuracy.
    let eval = try Evaluator.evaluate(
      model: Self.small, parameters: record.finalParameters, data: data, split: .test)
    #expect(abs(eval.accuracy - last.testAccuracy) < 1e-12)
    #expect(abs(eval.loss - last.testLoss) < 1e-5)
    #expect(eval.confusion.flatMap { $0 }.reduce(0, +) == 90)
  }

  @Test(arguments: [true, false])
  func sameSeedSameThreadsIsBitIdentical(zeroGrad: Bool) throws {
    let data = try TestSupport.separableData(train: 100, test: 20)
    let c = Self.config {
      $0.zeroGrad = zeroGrad
      $0.epochs = 2
    }
    let a = try Trainer(model: Self.small, config: c, data: data).run(name: "a")
    let b = try Trainer(model: Self.small, config: c, data: data).run(name: "b")
    #expect(a.finalParameters == b.finalParameters)
    #expect(a.stepLoss == b.stepLoss)
    #expect(a.stepGradSq == b.stepGradSq)
    #expect(a.epochs.map(\.testLoss) == b.epochs.map(\.testLoss))
    var other = c
    other.seed = 1
    let d = try Trainer(model: Self.small, config: other, data: data).run(name: "d")
    #expect(d.finalParameters != a.finalParameters)
  }

  @Test func twoThreadsAreDeterministicToo() throws {
    let data = try TestSupport.separableData(train: 120, test: 20, width: 300)
    let model = ModelSpec(
      inputWidth: 300, layers: [.init(width: 64, activation: .relu), .init(width: 3)])
    let c = Self.config {
      $0.threads = 2
      $0.batch = 32
      $0.epochs = 2
    }
    let a = try Trainer(model: model, config: c, data: data).run(name: "a")
    let b = try Trainer(model: model, config: c, data: data).run(name: "b")
    #expect(a.finalParameters == b.finalParameters)
    #expect(a.stepLoss == b.stepLoss)
    #expect(a.backend.hasSuffix("2 threads"))
    // Same mathematics as one thread, up to the summation order inside split products.
    var one = c
    one.threads = 1
    let s = try Trainer(model: model, config: one, data: data).run(name: "s")
    #expect(zip(a.finalParameters, s.finalParameters).allSatisfy { abs($0 - $1) < 1e-4 })
  }

  @Test func zeroGradOffAccumulates() throws {
    let data = try TestSupport.separableData(train: 64, test: 16)
    let on = try Trainer(model: Self.small, config: Self.config { $0.epochs = 2 }, data: data)
      .run(name: "on")
    let off = try Trainer(
      model: Self.small,
      config: Self.config {
        $0.epochs = 2
        $0.zeroGrad = false
      }, data: data
    ).run(name: "off")
    // Accumulated gradients keep growing: their norm is far above the fresh one.
    #expect(off.epochs[1].gradNorms[0] > 2 * on.epochs[1].gradNorms[0])
  }

  @Test func divergingLearningRateStopsTheRun() throws {
    let data = try TestSupport.separableData(train: 200, test: 20)
    let c = Self.config {
      $0.optimizer = .sgd
      $0.lr = 1e30
      $0.epochs = 3
    }
    let record = try Trainer(model: Self.small, config: c, data: data).run(name: "boom")
    guard case .diverged(let epoch, let step) = record.status else {
      Issue.record("expected diverged, got \(record.status)")
      return
    }
    #expect(epoch == 1 && step >= 1)
    #expect(!record.stepLoss.isEmpty && !(record.stepLoss.last?.isFinite ?? true))
    #expect(record.notes.contains { $0.contains("diverged") })
  }

  @Test func interruptKeepsThePartialRun() throws {
    let data = try TestSupport.separableData(train: 80, test: 20)
    var calls = 0
    let record = try Trainer(model: Self.small, config: Self.config(), data: data).run(
      name: "stop",
      shouldStop: {
        calls += 1
        return calls > 13
      })
    #expect(record.status == .interrupted(epoch: 2, step: 4))
    #expect(record.epochs.count == 2 && record.epochs[1].steps == 3)
    #expect(record.stepLoss.count == 13)
  }

  @Test func progressIsReported() throws {
    let data = try TestSupport.separableData(train: 40, test: 8)
    var seen: [TrainProgress] = []
    _ = try Trainer(model: Self.small, config: Self.config { $0.epochs = 2 }, data: data)
      .run(name: "p", progress: { seen.append($0) })
    #expect(seen.count == 10)
    #expect(seen.last?.globalStep == 10 && seen.last?.step == 5 && seen.last?.epoch == 2)
  }

  static let fashionShaped: Dataset = {
    let n = 4
    return try! Dataset(
      name: "fashion-shaped", inputWidth: 784, classes: 10,
      trainImages: [UInt8](repeating: 1, count: 784 * n), trainLabels: [0, 1, 2, 3],
      testImages: [UInt8](repeating: 1, count: 784), testLabels: [5])
  }()

  @Test(arguments: [
    (
      ModelSpec(inputWidth: 100, layers: [.init(width: 128, activation: .relu), .init(width: 10)]),
      "first width"
    ),
    (
      ModelSpec(inputWidth: 784, layers: [.init(width: 128, activation: .relu), .init(width: 9)]),
      "last width"
    ),
  ])
  func modelMustFitTheData(model: ModelSpec, what: String) throws {
    let error = #expect(throws: TrainError.self) {
      try Trainer(model: model, config: TrainConfig(), data: Self.fashionShaped)
    }
    #expect(error?.description.contains(what) == true)
    #expect(error?.description.contains(what == "first width" ? "784" : "10") == true)
  }

  @Test func tooLargeModelIsRefusedBeforeAllocation() throws {
    // 784 → 2,000,000 → 10: ~1.6e9 parameters, ×4 arenas × 4 bytes ≫ 4 GiB.
    let model = ModelSpec(
      inputWidth: 784, layers: [.init(width: 2_000_000, activation: .relu), .init(width: 10)])
    let error = #expect(throws: TrainError.self) {
      try Trainer(model: model, config: TrainConfig(), data: Self.fashionShaped)
    }
    guard case .modelTooLarge(let bytes) = error else {
      Issue.record("expected modelTooLarge, got \(String(describing: error))")
      return
    }
    #expect(bytes > 4 << 30)
    #expect(error?.description.contains(String(bytes)) == true)
    // Absurd widths overflow Int: still refused, not crashed.
    let absurd = ModelSpec(
      inputWidth: 784, layers: [.init(width: Int.max / 2, activation: .relu), .init(width: 10)])
    #expect(throws: TrainError.self) {
      try Trainer(model: absurd, config: TrainConfig(), data: Self.fashionShaped)
    }
  }

  @Test func badConfigsAndModels() throws {
    let data = Self.fashionShaped
    for edit in [
      { (c: inout TrainConfig) in c.batch = 0 }, { $0.lr = -1 }, { $0.lr = .nan },
      { $0.epochs = 0 }, { $0.threads = 0 }, { $0.momentum = -0.5 },
    ] as [(inout TrainConfig) -> Void] {
      var c = TrainConfig()
      edit(&c)
      #expect(throws: TrainError.self) { try Trainer(model: .baseline, config: c, data: data) }
    }
    #expect(throws: TrainError.self) {
      try Trainer(model: ModelSpec(inputWidth: 784, layers: []), config: TrainConfig(), data: data)
    }
    #expect(throws: TrainError.self) {
      try Trainer(
        model: ModelSpec(inputWidth: 784, layers: [.init(width: 0), .init(width: 10)]),
        config: TrainConfig(), data: data)
    }
    var gpu = TrainConfig()
    gpu.device = .gpu
    #expect(throws: TrainError.self) { try Trainer(model: .baseline, config: gpu, data: data) }
  }

  @Test func modelSpecDescription() {
    #expect(ModelSpec.baseline.description == "784-128-relu-10")
    #expect(ModelSpec.baseline.parameterCount == 784 * 128 + 128 + 128 * 10 + 10)
    #expect(ModelSpec.baseline.linearCount == 2)
  }
}
