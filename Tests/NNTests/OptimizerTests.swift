import Foundation
import Testing

@testable import NN

/// Optimizer steps against PyTorch's update formulas, computed by hand in Double.
struct OptimizerTests {
  let be = TestSupport.backend

  /// Runs `steps` updates from p0 with the given gradient per step; returns the parameters.
  func run(_ config: TrainConfig, p0: [Float], grads: [[Float]]) -> [Float] {
    let p = TestSupport.buffer(p0)
    let g = be.allocate(floats: p0.count)
    let optimizer = Optimizer(config: config, backend: be, count: p0.count)
    for grad in grads {
      grad.withUnsafeBufferPointer { be.upload($0, to: g) }
      optimizer.step(parameters: p, gradients: g)
    }
    return TestSupport.read(p)
  }

  static func sgdReference(
    lr: Double, momentum: Double, wd: Double, p0: [Double], grads: [[Double]]
  ) -> [Double] {
    var p = p0
    var buf: [Double]? = nil
    for g in grads {
      let d = zip(g, p).map { $0 + wd * $1 }
      if momentum != 0 {
        buf = buf.map { b in zip(b, d).map { momentum * $0 + $1 } } ?? d  // buffer = grad at first
        p = zip(p, buf!).map { $0 - lr * $1 }
      } else {
        p = zip(p, d).map { $0 - lr * $1 }
      }
    }
    return p
  }

  static func adamReference(lr: Double, wd: Double, p0: [Double], grads: [[Double]]) -> [Double] {
    let (b1, b2, eps) = (0.9, 0.999, 1e-8)
    var p = p0
    var m = [Double](repeating: 0, count: p0.count)
    var v = m
    for (t0, g0) in grads.enumerated() {
      let t = Double(t0 + 1)
      for i in p.indices {
        let g = g0[i] + wd * p[i]
        m[i] = b1 * m[i] + (1 - b1) * g
        v[i] = b2 * v[i] + (1 - b2) * g * g
        let denom = (v[i].squareRoot() / (1 - pow(b2, t)).squareRoot()) + eps
        p[i] -= lr / (1 - pow(b1, t)) * m[i] / denom
      }
    }
    return p
  }

  @Test func sgdFirstStepsByHand() {
    var c = TrainConfig()
    c.optimizer = .sgd
    c.lr = 0.1
    // Plain: 1 − 0.1·0.5 = 0.95.
    #expect(abs(run(c, p0: [1], grads: [[0.5]])[0] - 0.95) < 1e-7)
    // Momentum 0.9: buf₁ = 0.5 → 0.95; buf₂ = 0.9·0.5 + 0.5 = 0.95 → 0.95 − 0.095 = 0.855.
    c.momentum = 0.9
    #expect(abs(run(c, p0: [1], grads: [[0.5], [0.5]])[0] - 0.855) < 1e-6)
    // Weight decay 0.1, no momentum: d = 0.5 + 0.1·1 = 0.6 → 0.94.
    c.momentum = 0
    c.weightDecay = 0.1
    #expect(abs(run(c, p0: [1], grads: [[0.5]])[0] - 0.94) < 1e-7)
  }

  @Test func adamFirstStepByHand() {
    // Step 1: m̂ = g, v̂ = g², so p = 1 − 0.1·0.5/(0.5 + 1e-8) ≈ 0.9.
    var c = TrainConfig()
    c.lr = 0.1
    #expect(abs(run(c, p0: [1, 2], grads: [[0.5, -0.25]])[0] - 0.9) < 1e-6)
    #expect(abs(run(c, p0: [1, 2], grads: [[0.5, -0.25]])[1] - 2.1) < 1e-6)
  }

  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let optimizer: OptimizerKind
    let lr: Double
    let momentum: Double
    let weightDecay: Double
    var testDescription: String { name }
  }

  @Test(arguments: [
    Case(name: "sgd", optimizer: .sgd, lr: 0.05, momentum: 0, weightDecay: 0),
    Case(name: "sgd momentum", optimizer: .sgd, lr: 0.05, momentum: 0.9, weightDecay: 0),
    Case(name: "sgd momentum + wd", optimizer: .sgd, lr: 0.05, momentum: 0.5, weightDecay: 0.01),
    Case(name: "adam", optimizer: .adam, lr: 1e-3, momentum: 0, weightDecay: 0),
    Case(name: "adam + wd", optimizer: .adam, lr: 1e-2, momentum: 0, weightDecay: 0.1),
  ])
  func severalStepsMatchPyTorchFormulas(_ k: Case) {
    var c = TrainConfig()
    c.optimizer = k.optimizer
    c.lr = k.lr
    c.momentum = k.momentum
    c.weightDecay = k.weightDecay
    let n = 37  // exercises the 16-lane body and the scalar tail
    let p0 = TestSupport.values(n, seed: 21)
    let grads = (0..<5).map { TestSupport.values(n, seed: 30 + UInt64($0)) }
    let ours = run(c, p0: p0, grads: grads)
    let pd = p0.map(Double.init)
    let gd = grads.map { $0.map(Double.init) }
    let reference =
      k.optimizer == .sgd
      ? Self.sgdReference(lr: k.lr, momentum: k.momentum, wd: k.weightDecay, p0: pd, grads: gd)
      : Self.adamReference(lr: k.lr, wd: k.weightDecay, p0: pd, grads: gd)
    #expect(zip(ours, reference).allSatisfy { abs(Double($0) - $1) < 1e-5 })
  }

  /// zeroGrad=false: the gradient the optimizer sees at step t is the sum of steps 1...t.
  @Test(arguments: [OptimizerKind.adam, .sgd])
  func accumulatedGradientsAcrossSteps(kind: OptimizerKind) {
    let spec = ModelSpec(
      inputWidth: 4, layers: [.init(width: 3, activation: .relu), .init(width: 2)])
    let net = Network(spec: spec, backend: be, maxRows: 2)
    var rng = RandomGenerator(seed: 3)
    net.initialize(&rng)
    var c = TrainConfig()
    c.optimizer = kind
    c.lr = 0.01
    c.momentum = kind == .sgd ? 0.9 : 0
    let optimizer = Optimizer(config: c, backend: be, count: net.parameterCount)
    let metrics = be.allocate(floats: 2)
    let gradSq = be.allocate(floats: 2)
    var p = net.snapshot().map(Double.init)
    var accumulated = [Double](repeating: 0, count: p.count)
    var seen: [[Double]] = []
    for step in 0..<4 {
      let x = TestSupport.values(8, seed: 50 + UInt64(step))
      x.withUnsafeBufferPointer { be.upload($0, to: net.input) }
      [Int32(step % 2), 1].withUnsafeBufferPointer { be.upload($0, to: net.labels) }
      // This step's fresh gradient, measured on a scratch copy with accumulate=false.
      let logits = net.forward(rows: 2)
      softmaxCrossEntropyForwardBackward(
        be, logits: logits, labels: net.labels, dlogits: net.dPost[1], metrics: metrics,
        rows: 2, classes: 2)
      let saved = TestSupport.read(net.gradients)
      net.backward(rows: 2, accumulate: false, gradSq: gradSq)
      let fresh = TestSupport.read(net.gradients).map(Double.init)
      saved.withUnsafeBufferPointer { be.upload($0, to: net.gradients) }
      net.backward(rows: 2, accumulate: step > 0, gradSq: gradSq)
      accumulated = zip(accumulated, fresh).map { $0 + $1 }
      let grads = TestSupport.read(net.gradients).map(Double.init)
      #expect(zip(grads, accumulated).allSatisfy { abs($0 - $1) < 1e-5 })
      seen.append(accumulated)
      optimizer.step(parameters: net.parameters, gradients: net.gradients)
      // The optimizer does not modify the accumulated gradients.
      #expect(
        zip(TestSupport.read(net.gradients).map(Double.init), accumulated).allSatisfy {
          abs($0 - $1) < 1e-7
        })
    }
    p =
      kind == .adam
      ? Self.adamReference(lr: 0.01, wd: 0, p0: p, grads: seen)
      : Self.sgdReference(lr: 0.01, momentum: 0.9, wd: 0, p0: p, grads: seen)
    #expect(zip(net.snapshot().map(Double.init), p).allSatisfy { abs($0 - $1) < 1e-5 })
  }
}
