import CBLAS
import Foundation

/// The CPU kernels every CPU training step goes through (llm.c style): host memory, OpenBLAS
/// sgemm, plain loops the compiler vectorises; the reference the GPU path is checked against.
///
/// Batches are gathered and scaled from a permutation of resident uint8 data, loss, accuracy and
/// δ² are written into a metrics buffer, and the optimizer update is one fused loop. Every matrix
/// product goes through `sgemm` (row-major, cblas semantics).
final class CPUBackend {
  let threads: Int
  /// "cpu: OpenBLAS 0.3.21, 1 thread".
  let name: String
  /// The CPU model.
  let deviceName: String
  /// Remarks about the BLAS setup (core re-selection).
  var notes: [String] { BLASSetup.adjustment.map { [$0] } ?? [] }
  /// Resident byte storages kept alive while aliased.
  private var pinned: [UInt: ByteStorage] = [:]

  /// Splits products and elementwise kernels over `threads` participants.
  let pool: WorkerPool

  /// `threads` CPU threads: the caller plus a worker pool. OpenBLAS runs one thread per call;
  /// large products are split by output block across the pool (deterministic per thread count).
  init(threads: Int) {
    self.threads = threads
    BLASSetup.ensure()
    openblas_set_num_threads(1)
    pool = WorkerPool(size: threads)
    name = "cpu: \(SystemInfo.openBLASVersion), \(threads) thread\(threads == 1 ? "" : "s")"
    deviceName = SystemInfo.cpuModel
  }

  // MARK: memory

  /// Zeroed, 64-byte aligned host memory for `count` floats.
  func allocate(floats count: Int) -> DeviceBuffer<Float> {
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
    raw.initializeMemory(as: Float.self, repeating: 0, count: max(count, 1))
    return DeviceBuffer(address: UInt(bitPattern: raw), count: count)
  }

  /// Zeroed, 64-byte aligned host memory for `count` indices.
  func allocate(indices count: Int) -> DeviceBuffer<Int32> {
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: max(count, 1) * MemoryLayout<Int32>.stride, alignment: 64)
    raw.initializeMemory(as: Int32.self, repeating: 0, count: max(count, 1))
    return DeviceBuffer(address: UInt(bitPattern: raw), count: count)
  }

  /// The bytes of `storage` in place (aliased, kept alive until freed).
  func resident(_ storage: ByteStorage) -> DeviceBuffer<UInt8> {
    let address = UInt(bitPattern: storage.pointer)
    pinned[address] = storage
    return DeviceBuffer(address: address, count: storage.count)
  }

  /// Releases memory from `allocate`.
  func free(_ buffer: DeviceBuffer<Float>) {
    UnsafeMutableRawPointer(bitPattern: buffer.address)?.deallocate()
  }

  func free(_ buffer: DeviceBuffer<Int32>) {
    UnsafeMutableRawPointer(bitPattern: buffer.address)?.deallocate()
  }

  /// Releases a `resident` alias.
  func free(_ buffer: DeviceBuffer<UInt8>) {
    pinned[buffer.address] = nil
  }

  /// Copies host values into a buffer (at most its length).
  func upload(_ source: UnsafeBufferPointer<Float>, to destination: DeviceBuffer<Float>) {
    guard let base = source.baseAddress else { return }
    destination.pointer.update(from: base, count: min(source.count, destination.count))
  }

  func upload(_ source: UnsafeBufferPointer<Int32>, to destination: DeviceBuffer<Int32>) {
    guard let base = source.baseAddress else { return }
    destination.pointer.update(from: base, count: min(source.count, destination.count))
  }

  /// Copies a buffer out to host values (at most their length).
  func download(_ source: DeviceBuffer<Float>, into destination: UnsafeMutableBufferPointer<Float>) {
    guard let base = destination.baseAddress else { return }
    base.update(from: source.pointer, count: min(source.count, destination.count))
  }

  func download(_ source: DeviceBuffer<Int32>, into destination: UnsafeMutableBufferPointer<Int32>) {
    guard let base = destination.baseAddress else { return }
    base.update(from: source.pointer, count: min(source.count, destination.count))
  }

  /// Waits until all queued work is done (before reading clocks); the CPU runs synchronously.
  func synchronize() {}

  // MARK: kernels

  /// x[i] = value.
  func fill(_ x: DeviceBuffer<Float>, value: Float) {
    x.pointer.update(repeating: value, count: x.count)
  }

  /// C = alpha·op(A)·op(B) + beta·C, row-major; op(A): (m, k), op(B): (k, n), C: (m, n).
  func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: DeviceBuffer<Float>, lda: Int, b: DeviceBuffer<Float>, ldb: Int,
    beta: Float, c: DeviceBuffer<Float>, ldc: Int
  ) {
    let pa = a.pointer
    let pb = b.pointer
    let pc = c.pointer
    func block(rows: Range<Int>, cols: Range<Int>) {
      // Row block of C uses rows of op(A); column block uses columns of op(B).
      let aStart = transA ? pa + rows.lowerBound : pa + rows.lowerBound * lda
      let bStart = transB ? pb + cols.lowerBound * ldb : pb + cols.lowerBound
      cblas_sgemm(
        CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
        Int32(rows.count), Int32(cols.count), Int32(k), alpha, aStart, Int32(lda),
        bStart, Int32(ldb), beta, pc + rows.lowerBound * ldc + cols.lowerBound, Int32(ldc))
    }
    if pool.size > 1 && m * n * k >= 1 << 18 {
      if n >= m {
        pool.parallelRanges(n) { block(rows: 0..<m, cols: $0) }
      } else {
        pool.parallelRanges(m) { block(rows: $0, cols: 0..<n) }
      }
    } else {
      block(rows: 0..<m, cols: 0..<n)
    }
  }

  /// x[r, :] = images[order[start + r], :] / divisor; y[r] = labels[order[start + r]].
  func gatherScale(
    images: DeviceBuffer<UInt8>, labels: DeviceBuffer<UInt8>, order: DeviceBuffer<Int32>,
    start: Int, rows: Int, width: Int, divisor: Float,
    x: DeviceBuffer<Float>, y: DeviceBuffer<Int32>
  ) {
    let img = images.pointer
    let lab = labels.pointer
    let ord = order.pointer
    let xs = x.pointer
    let ys = y.pointer
    pool.parallelRanges(rows, align: 1) { part in
      for r in part {
        let index = Int(ord[start + r])
        let src = img + index * width
        let dst = xs + r * width
        for j in 0..<width { dst[j] = Float(src[j]) / divisor }
        ys[r] = Int32(lab[index])
      }
    }
  }

  /// out[r, :] = bias for r in 0..<rows (out: (rows, cols)).
  func broadcastRows(
    _ bias: DeviceBuffer<Float>, rows: Int, cols: Int, into out: DeviceBuffer<Float>
  ) {
    let b = bias.pointer
    let o = out.pointer
    for r in 0..<rows { (o + r * cols).update(from: b, count: cols) }
  }

  /// db (+)= Σ_r dy[r, :] (dy: (rows, cols)); accumulate false overwrites.
  func sumRows(
    _ dy: DeviceBuffer<Float>, rows: Int, cols: Int, into db: DeviceBuffer<Float>,
    accumulate: Bool
  ) {
    let d = dy.pointer
    let out = db.pointer
    if !accumulate { out.update(repeating: 0, count: cols) }
    for r in 0..<rows {
      let row = d + r * cols
      for c in 0..<cols { out[c] += row[c] }
    }
  }

  /// y = f(x), n elements.
  func activationForward(_ kind: Activation, x: DeviceBuffer<Float>, y: DeviceBuffer<Float>, n: Int) {
    let xs = x.pointer
    let ys = y.pointer
    switch kind {
    case .relu: for i in 0..<n { ys[i] = xs[i] > 0 ? xs[i] : 0 }
    case .tanh: for i in 0..<n { ys[i] = Foundation.tanh(xs[i]) }
    case .sigmoid: for i in 0..<n { ys[i] = 1 / (1 + Foundation.exp(-xs[i])) }
    }
  }

  /// dx = dy ⊙ f'(x), using x (pre-activation) and y = f(x).
  func activationBackward(
    _ kind: Activation, x: DeviceBuffer<Float>, y: DeviceBuffer<Float>,
    dy: DeviceBuffer<Float>, dx: DeviceBuffer<Float>, n: Int
  ) {
    let xs = x.pointer
    let ys = y.pointer
    let g = dy.pointer
    let out = dx.pointer
    switch kind {
    case .relu: for i in 0..<n { out[i] = xs[i] > 0 ? g[i] : 0 }
    case .tanh: for i in 0..<n { out[i] = g[i] * (1 - ys[i] * ys[i]) }
    case .sigmoid: for i in 0..<n { out[i] = g[i] * ys[i] * (1 - ys[i]) }
    }
  }

  /// Fused stable softmax + cross-entropy over rows of logits (rows, classes).
  /// metrics[0] = mean loss over rows, metrics[1] = correct count (argmax == label);
  /// dlogits (if given) = (softmax − onehot) / rows. predictions (if given) = argmax per row.
  func softmaxCrossEntropy(
    logits: DeviceBuffer<Float>, labels: DeviceBuffer<Int32>, rows: Int, classes: Int,
    dlogits: DeviceBuffer<Float>?, predictions: DeviceBuffer<Int32>?, metrics: DeviceBuffer<Float>
  ) {
    let z = logits.pointer
    let y = labels.pointer
    let dz = dlogits?.pointer
    let pred = predictions?.pointer
    let invRows = 1 / Float(rows)
    var lossSum = 0.0
    var correct = 0
    for r in 0..<rows {
      let row = z + r * classes
      var maxValue = row[0]
      var argmax = 0
      for c in 1..<classes where row[c] > maxValue {
        maxValue = row[c]
        argmax = c
      }
      var sum: Float = 0
      for c in 0..<classes { sum += Foundation.exp(row[c] - maxValue) }
      let label = Int(y[r])
      let logSum = Foundation.log(sum)
      lossSum += Double(logSum - (row[label] - maxValue))
      if argmax == label { correct += 1 }
      pred?[r] = Int32(argmax)
      if let dz {
        let drow = dz + r * classes
        let inv = 1 / sum
        for c in 0..<classes {
          drow[c] = (Foundation.exp(row[c] - maxValue) * inv - (c == label ? 1 : 0)) * invRows
        }
      }
    }
    metrics.pointer[0] = Float(lossSum / Double(rows))
    metrics.pointer[1] = Float(correct)
  }

  /// out[0] = Σ x[i]² (δ², squared norms).
  func sumSquares(_ x: DeviceBuffer<Float>, n: Int, into out: DeviceBuffer<Float>) {
    let p = UnsafeRawPointer(x.pointer)
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= n {
      let v = p.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
      acc += v * v
      i += 16
    }
    var total = Double(acc.sum())
    let xs = x.pointer
    while i < n {
      total += Double(xs[i] * xs[i])
      i += 1
    }
    out.pointer[0] = Float(total)
  }

  /// torch.optim.SGD step; `momentumBuffer` nil when momentum is 0.
  func sgdUpdate(
    parameters: DeviceBuffer<Float>, gradients: DeviceBuffer<Float>,
    momentumBuffer: DeviceBuffer<Float>?, n: Int, lr: Float, momentum: Float,
    weightDecay: Float, firstStep: Bool
  ) {
    let p = parameters.pointer
    let g = gradients.pointer
    let buf = momentumBuffer?.pointer
    let wd = weightDecay
    let mu = momentum
    let useMomentum = buf != nil
    let first = firstStep
    pool.parallelRanges(n) { range in
      var i = range.lowerBound
      let n = range.upperBound
      while i + 16 <= n {
        var d = Vec.load(g, i)
        let pv = Vec.load(p, i)
        if wd != 0 { d += wd * pv }
        if let buf {
          let b = first ? d : Vec.load(buf, i) * mu + d
          Vec.store(b, buf, i)
          d = b
        }
        Vec.store(pv - lr * d, p, i)
        i += 16
      }
      while i < n {
        var d = g[i]
        if wd != 0 { d += wd * p[i] }
        if useMomentum, let buf {
          let b = first ? d : buf[i] * mu + d
          buf[i] = b
          d = b
        }
        p[i] = p[i] - lr * d
        i += 1
      }
    }
  }

  /// torch.optim.Adam step (t is the 1-based step count; bias corrections computed in Double).
  func adamUpdate(
    parameters: DeviceBuffer<Float>, gradients: DeviceBuffer<Float>,
    m: DeviceBuffer<Float>, v: DeviceBuffer<Float>, n: Int, lr: Double,
    beta1: Double, beta2: Double, eps: Double, weightDecay: Float, step t: Int
  ) {
    let p = parameters.pointer
    let g = gradients.pointer
    let ms = m.pointer
    let vs = v.pointer
    let bc1 = 1 - Foundation.pow(beta1, Double(t))
    let bc2 = 1 - Foundation.pow(beta2, Double(t))
    let stepSize = Float(lr / bc1)
    let invBc2Sqrt = Float(1 / bc2.squareRoot())  // one division per element instead of two
    let w1 = Float(1 - beta1)
    let b2 = Float(beta2)
    let w2 = Float(1 - beta2)
    let e = Float(eps)
    let wd = weightDecay
    pool.parallelRanges(n) { range in
      var i = range.lowerBound
      let n = range.upperBound
      while i + 16 <= n {
        var gi = Vec.load(g, i)
        let pi = Vec.load(p, i)
        if wd != 0 { gi += wd * pi }
        let m0 = Vec.load(ms, i)
        let mi = m0 + w1 * (gi - m0)
        let vi = Vec.load(vs, i) * b2 + w2 * (gi * gi)
        Vec.store(mi, ms, i)
        Vec.store(vi, vs, i)
        Vec.store(pi - stepSize * (mi / (vi.squareRoot() * invBc2Sqrt + e)), p, i)
        i += 16
      }
      while i < n {
        var gi = g[i]
        if wd != 0 { gi += wd * p[i] }
        let mi = ms[i] + w1 * (gi - ms[i])
        let vi = vs[i] * b2 + w2 * (gi * gi)
        ms[i] = mi
        vs[i] = vi
        p[i] = p[i] - stepSize * (mi / (vi.squareRoot() * invBc2Sqrt + e))
        i += 1
      }
    }
  }

  deinit { pinned.removeAll() }
}
