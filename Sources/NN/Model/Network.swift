/// A model instantiated on a backend: one parameter arena, one gradient arena, activations.
final class Network {
  let spec: ModelSpec
  let backend: CPUBackend
  let shapes: [(fanIn: Int, fanOut: Int)]
  /// Largest batch the activation buffers hold.
  let maxRows: Int
  let parameterCount: Int

  /// All weights and biases, fc1.weight first; each weight is (fanIn, fanOut) row-major,
  /// i.e. laid out like PyTorch's `weight.T` (see linearForward).
  let parameters: DeviceBuffer<Float>
  let gradients: DeviceBuffer<Float>  // same layout as parameters
  let weights: [DeviceBuffer<Float>]
  let biases: [DeviceBuffer<Float>]
  let weightGrads: [DeviceBuffer<Float>]
  let biasGrads: [DeviceBuffer<Float>]

  let input: DeviceBuffer<Float>  // x: (maxRows, inputWidth)
  let labels: DeviceBuffer<Int32>  // y: (maxRows)
  private let activations: DeviceBuffer<Float>  // one block for all of the below
  let pre: [DeviceBuffer<Float>]  // s_l: (maxRows, fanOut_l), Linear outputs
  let post: [DeviceBuffer<Float>]  // a_l = f(s_l) (aliases s_l without activation)
  let dPost: [DeviceBuffer<Float>]  // ∂E/∂a_l
  let dPre: [DeviceBuffer<Float>]  // ∂E/∂s_l = δ_l (aliases dPost without activation)

  /// Bytes of parameters, gradients, `optimizerSlots` optimizer arenas and activations;
  /// nil when the count overflows.
  static func bytesNeeded(spec: ModelSpec, maxRows: Int, optimizerSlots: Int) -> Int? {
    let p = spec.parameterCount
    guard p != Int.max else { return nil }
    var floats = 0
    func add(_ a: Int, _ b: Int) -> Bool {
      let (product, o1) = a.multipliedReportingOverflow(by: b)
      let (sum, o2) = floats.addingReportingOverflow(product)
      floats = sum
      return !(o1 || o2)
    }
    guard add(p, 2 + optimizerSlots), add(maxRows, spec.inputWidth + 1) else { return nil }
    for layer in spec.layers {
      guard add(maxRows, 4 * layer.width) else { return nil }
    }
    let (bytes, overflow) = floats.multipliedReportingOverflow(by: 4)
    return overflow ? nil : bytes
  }

  init(spec: ModelSpec, backend: CPUBackend, maxRows: Int) {
    self.spec = spec
    self.backend = backend
    self.maxRows = maxRows
    shapes = spec.linearShapes
    parameterCount = spec.parameterCount
    parameters = backend.allocate(floats: parameterCount)
    gradients = backend.allocate(floats: parameterCount)
    var w: [DeviceBuffer<Float>] = []
    var b: [DeviceBuffer<Float>] = []
    var dw: [DeviceBuffer<Float>] = []
    var db: [DeviceBuffer<Float>] = []
    var offset = 0
    for (fanIn, fanOut) in shapes {
      w.append(parameters.slice(offset, fanIn * fanOut))
      dw.append(gradients.slice(offset, fanIn * fanOut))
      offset += fanIn * fanOut
      b.append(parameters.slice(offset, fanOut))
      db.append(gradients.slice(offset, fanOut))
      offset += fanOut
    }
    weights = w
    biases = b
    weightGrads = dw
    biasGrads = db
    input = backend.allocate(floats: maxRows * spec.inputWidth)
    labels = backend.allocate(indices: maxRows)
    let perLayer = shapes.map { maxRows * $0.fanOut }
    activations = backend.allocate(floats: 4 * perLayer.reduce(0, +))
    var s: [DeviceBuffer<Float>] = []
    var a: [DeviceBuffer<Float>] = []
    var da: [DeviceBuffer<Float>] = []
    var ds: [DeviceBuffer<Float>] = []
    var at = 0
    for (l, layer) in spec.layers.enumerated() {
      let n = perLayer[l]
      s.append(activations.slice(at, n))
      a.append(layer.activation == nil ? s[l] : activations.slice(at + n, n))
      da.append(activations.slice(at + 2 * n, n))
      ds.append(layer.activation == nil ? da[l] : activations.slice(at + 3 * n, n))
      at += 4 * n
    }
    pre = s
    post = a
    dPost = da
    dPre = ds
  }

  deinit {
    backend.free(parameters)
    backend.free(gradients)
    backend.free(input)
    backend.free(labels)
    backend.free(activations)
  }

  /// Parameter tensors in name order (fc1.weight, fc1.bias, ...).
  var parameterTensors: [DeviceBuffer<Float>] {
    zip(weights, biases).flatMap { [$0, $1] }
  }

  /// Gradient tensors in name order.
  var gradientTensors: [DeviceBuffer<Float>] {
    zip(weightGrads, biasGrads).flatMap { [$0, $1] }
  }

  /// PyTorch's default initialisation: weights and biases U(−1/√fanIn, 1/√fanIn), layer by layer.
  func initialize(_ rng: inout RandomGenerator) {
    var host = [Float](repeating: 0, count: parameterCount)
    var offset = 0
    for (fanIn, fanOut) in shapes {
      let bound = 1 / Double(fanIn).squareRoot()
      for i in 0..<(fanIn * fanOut + fanOut) {
        host[offset + i] = Float(-bound + 2 * bound * rng.nextUnit())
      }
      offset += fanIn * fanOut + fanOut
    }
    load(host)
  }

  /// Copies a flat parameter arena in.
  func load(_ values: [Float]) {
    values.withUnsafeBufferPointer { backend.upload($0, to: parameters) }
  }

  /// Copies the parameter arena out.
  func snapshot() -> [Float] {
    var host = [Float](repeating: 0, count: parameterCount)
    host.withUnsafeMutableBufferPointer { backend.download(parameters, into: $0) }
    return host
  }

  /// Forward pass over `rows` examples already in `input`; returns the logits.
  // input: (B, inputWidth) -> logits: (B, classes)
  func forward(rows: Int) -> DeviceBuffer<Float> {
    var x = input
    for (l, (fanIn, fanOut)) in shapes.enumerated() {
      linearForward(
        backend, x: x, weight: weights[l], bias: biases[l], y: pre[l],
        rows: rows, fanIn: fanIn, fanOut: fanOut)
      if let kind = spec.layers[l].activation {
        activationForward(backend, kind, x: pre[l], y: post[l], n: rows * fanOut)
      }
      x = post[l]
    }
    return post[shapes.count - 1]
  }

  /// Backward pass from dPost[last] (= dlogits); writes δ² of every Linear into gradSq[l].
  /// accumulate false: parameter gradients are overwritten (zeroGrad), true: added to.
  func backward(rows: Int, accumulate: Bool, gradSq: DeviceBuffer<Float>) {
    for l in stride(from: shapes.count - 1, through: 0, by: -1) {
      let (fanIn, fanOut) = shapes[l]
      if let kind = spec.layers[l].activation {
        activationBackward(
          backend, kind, x: pre[l], y: post[l], dy: dPost[l], dx: dPre[l], n: rows * fanOut)
      }
      backend.sumSquares(dPre[l], n: rows * fanOut, into: gradSq.slice(l, 1))  // δ²_l
      linearBackward(
        backend, x: l == 0 ? input : post[l - 1], weight: weights[l], dy: dPre[l],
        dWeight: weightGrads[l], dBias: biasGrads[l], dx: l == 0 ? nil : dPost[l - 1],
        rows: rows, fanIn: fanIn, fanOut: fanOut, accumulate: accumulate)
    }
  }
}
