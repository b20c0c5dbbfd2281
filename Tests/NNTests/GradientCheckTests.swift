import Foundation
import Testing

@testable import NN

/// Backward kernels (Float) against central finite differences of Float64 reference forwards.
///
/// The finite differences are taken in Double (h = 1e-6, truncation error ~1e-12), so the only
/// error left is the Float rounding of the analytic backward (~1e-6 relative): tolerance 1e-4.
struct GradientCheckTests {
  let be = TestSupport.backend
  static let tolerance = 1e-4

  static func close(_ analytic: [Float], _ numeric: [Double]) -> Bool {
    zip(analytic, numeric).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
  }

  /// Central difference of f at every coordinate of x.
  static func numericGradient(_ x: [Double], _ f: ([Double]) -> Double) -> [Double] {
    let h = 1e-6
    return x.indices.map { i in
      var plus = x
      var minus = x
      plus[i] += h
      minus[i] -= h
      return (f(plus) - f(minus)) / (2 * h)
    }
  }

  @Test func linearBackwardMatchesFiniteDifferences() {
    let (rows, fanIn, fanOut) = (3, 4, 5)
    let x = TestSupport.values(rows * fanIn, seed: 1)
    let w = TestSupport.values(fanIn * fanOut, seed: 2)  // (fanIn, fanOut), PyTorch's weight.T
    let b = TestSupport.values(fanOut, seed: 3)
    let r = TestSupport.values(rows * fanOut, seed: 4)  // L = Σ y ⊙ r, so dy = r
    // Reference forward in Double.
    func loss(_ x: [Double], _ w: [Double], _ b: [Double]) -> Double {
      var total = 0.0
      for i in 0..<rows {
        for o in 0..<fanOut {
          var y = b[o]
          for k in 0..<fanIn { y += x[i * fanIn + k] * w[k * fanOut + o] }
          total += y * Double(r[i * fanOut + o])
        }
      }
      return total
    }
    let xd = x.map(Double.init)
    let wd = w.map(Double.init)
    let bd = b.map(Double.init)
    let xb = TestSupport.buffer(x)
    let wb = TestSupport.buffer(w)
    let bb = TestSupport.buffer(b)
    let yb = be.allocate(floats: rows * fanOut)
    let dyb = TestSupport.buffer(r)
    let dwb = be.allocate(floats: fanOut * fanIn)
    let dbb = be.allocate(floats: fanOut)
    let dxb = be.allocate(floats: rows * fanIn)
    linearForward(be, x: xb, weight: wb, bias: bb, y: yb, rows: rows, fanIn: fanIn, fanOut: fanOut)
    // Forward agrees with the reference.
    let y = TestSupport.read(yb)
    let forwardLoss = zip(y, r).map { Double($0) * Double($1) }.reduce(0, +)
    #expect(abs(forwardLoss - loss(xd, wd, bd)) < 1e-4)
    linearBackward(
      be, x: xb, weight: wb, dy: dyb, dWeight: dwb, dBias: dbb, dx: dxb, rows: rows,
      fanIn: fanIn, fanOut: fanOut, accumulate: false)
    #expect(Self.close(TestSupport.read(dwb), Self.numericGradient(wd) { loss(xd, $0, bd) }))
    #expect(Self.close(TestSupport.read(dbb), Self.numericGradient(bd) { loss(xd, wd, $0) }))
    #expect(Self.close(TestSupport.read(dxb), Self.numericGradient(xd) { loss($0, wd, bd) }))
    // accumulate: true adds a second copy of the same gradients (PyTorch's += without zero_grad).
    let first = TestSupport.read(dwb)
    linearBackward(
      be, x: xb, weight: wb, dy: dyb, dWeight: dwb, dBias: dbb, dx: nil, rows: rows,
      fanIn: fanIn, fanOut: fanOut, accumulate: true)
    #expect(zip(TestSupport.read(dwb), first).allSatisfy { abs($0 - 2 * $1) < 1e-5 })
  }

  static func reference(_ kind: Activation) -> (Double) -> Double {
    switch kind {
    case .relu: return { max(0, $0) }
    case .tanh: return { Foundation.tanh($0) }
    case .sigmoid: return { 1 / (1 + Foundation.exp(-$0)) }
    }
  }

  @Test(arguments: [Activation.relu, .tanh, .sigmoid])
  func activationBackwardMatchesFiniteDifferences(kind: Activation) {
    let f = Self.reference(kind)
    let n = 12
    // Keep inputs away from ReLU's kink at 0.
    let x = TestSupport.values(n, seed: 5).map { $0 + ($0 >= 0 ? 0.1 : -0.1) }
    let r = TestSupport.values(n, seed: 6)
    let xb = TestSupport.buffer(x)
    let yb = be.allocate(floats: n)
    let dyb = TestSupport.buffer(r)
    let dxb = be.allocate(floats: n)
    activationForward(be, kind, x: xb, y: yb, n: n)
    let y = TestSupport.read(yb)
    #expect(zip(y, x).allSatisfy { abs(Double($0) - f(Double($1))) < 1e-6 })
    activationBackward(be, kind, x: xb, y: yb, dy: dyb, dx: dxb, n: n)
    let numeric = Self.numericGradient(x.map(Double.init)) { xs in
      zip(xs, r).map { f($0) * Double($1) }.reduce(0, +)
    }
    #expect(Self.close(TestSupport.read(dxb), numeric))
  }

  @Test func softmaxCrossEntropyBackwardMatchesFiniteDifferences() {
    let (rows, classes) = (4, 5)
    let z = TestSupport.values(rows * classes, seed: 8).map { $0 * 3 }
    let labels: [Int32] = [0, 3, 4, 1]
    func loss(_ z: [Double]) -> Double {
      var total = 0.0
      for i in 0..<rows {
        let row = z[i * classes..<(i + 1) * classes]
        let m = row.max()!
        let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
        total += lse - z[i * classes + Int(labels[i])]
      }
      return total / Double(rows)
    }
    let zb = TestSupport.buffer(z)
    let lb = TestSupport.indices(labels)
    let dzb = be.allocate(floats: rows * classes)
    let mb = be.allocate(floats: 2)
    softmaxCrossEntropyForwardBackward(
      be, logits: zb, labels: lb, dlogits: dzb, metrics: mb, rows: rows, classes: classes)
    let metrics = TestSupport.read(mb)
    let zd = z.map(Double.init)
    #expect(abs(Double(metrics[0]) - loss(zd)) < 1e-5)
    let correct = (0..<rows).filter { i in
      let row = Array(z[i * classes..<(i + 1) * classes])
      return row.firstIndex(of: row.max()!) == Int(labels[i])
    }.count
    #expect(Int(metrics[1]) == correct)
    #expect(Self.close(TestSupport.read(dzb), Self.numericGradient(zd, loss)))
  }

  @Test func softmaxCrossEntropyIsStableForHugeLogits() {
    let zb = TestSupport.buffer([1000, -1000, 0, 88, 90, -500])
    let lb = TestSupport.indices([0, 1])
    let dzb = be.allocate(floats: 6)
    let mb = be.allocate(floats: 2)
    softmaxCrossEntropyForwardBackward(
      be, logits: zb, labels: lb, dlogits: dzb, metrics: mb, rows: 2, classes: 3)
    let loss = TestSupport.read(mb)[0]
    #expect(loss.isFinite)
    // Row 0: loss ≈ 0; row 1 (label 1, logit 90 is the max): log(1 + e^-2 + e^-590) ≈ 0.127.
    #expect(abs(Double(loss) - Foundation.log(1 + Foundation.exp(-2.0)) / 2) < 1e-5)
    #expect(TestSupport.read(dzb).allSatisfy { $0.isFinite })
  }

  /// The full network: δ² per layer and parameter gradients against finite differences.
  @Test func networkBackwardMatchesFiniteDifferences() {
    let spec = ModelSpec(
      inputWidth: 6,
      layers: [
        .init(width: 5, activation: .tanh), .init(width: 4, activation: .sigmoid), .init(width: 3),
      ])
    let rows = 2
    let net = Network(spec: spec, backend: be, maxRows: rows)
    var rng = RandomGenerator(seed: 11)
    net.initialize(&rng)
    let params = net.snapshot()
    let x = TestSupport.values(rows * 6, seed: 12)
    let labels: [Int32] = [2, 0]
    x.withUnsafeBufferPointer { be.upload($0, to: net.input) }
    labels.withUnsafeBufferPointer { be.upload($0, to: net.labels) }
    let metrics = be.allocate(floats: 2)
    let gradSq = be.allocate(floats: 3)
    let logits = net.forward(rows: rows)
    softmaxCrossEntropyForwardBackward(
      be, logits: logits, labels: net.labels, dlogits: net.dPost[2], metrics: metrics,
      rows: rows, classes: 3)
    net.backward(rows: rows, accumulate: false, gradSq: gradSq)
    let analytic = TestSupport.read(net.gradients)

    func loss(_ p: [Double]) -> Double {
      var a = x.map(Double.init)
      var offset = 0
      var width = 6
      for layer in spec.layers {
        var out = [Double](repeating: 0, count: rows * layer.width)
        for i in 0..<rows {
          for o in 0..<layer.width {
            var s = p[offset + layer.width * width + o]
            for k in 0..<width { s += a[i * width + k] * p[offset + k * layer.width + o] }
            switch layer.activation {
            case .tanh: s = Foundation.tanh(s)
            case .sigmoid: s = 1 / (1 + Foundation.exp(-s))
            case .relu: s = max(0, s)
            case nil: break
            }
            out[i * layer.width + o] = s
          }
        }
        offset += layer.width * width + layer.width
        width = layer.width
        a = out
      }
      var total = 0.0
      for i in 0..<rows {
        let row = a[i * 3..<(i + 1) * 3]
        let m = row.max()!
        total +=
          m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
          - a[i * 3 + Int(labels[i])]
      }
      return total / Double(rows)
    }
    #expect(Self.close(analytic, Self.numericGradient(params.map(Double.init), loss)))
    // δ² of the last Linear = Σ dlogits².
    let dz = TestSupport.read(net.dPost[2])
    let sq = TestSupport.read(gradSq)
    #expect(abs(Double(sq[2]) - dz.map { Double($0 * $0) }.reduce(0, +)) < 1e-6)
    #expect(sq.allSatisfy { $0 > 0 })
  }
}
