/// The compute interface every training step goes through (llm.c style kernels).
///
/// Designed so a GPU backend can keep a whole step on the device: data stays resident
/// (`resident`), batches are gathered and scaled by a kernel from a device-side permutation,
/// loss/accuracy/δ² are written into a device metrics buffer and read once per epoch
/// (or every `metricsReadInterval` steps), and the optimizer update is one fused kernel.
/// Every matrix product goes through `sgemm` (row-major, cblas semantics).
protocol Backend: AnyObject {
  /// "cpu: OpenBLAS 0.3.21, 1 thread".
  var name: String { get }
  /// The device, e.g. the CPU model.
  var deviceName: String { get }
  /// Steps between host reads of the per-step metrics (1 on the CPU: reads are free).
  var metricsReadInterval: Int { get }

  func allocate(floats count: Int) -> DeviceBuffer<Float>
  func allocate(indices count: Int) -> DeviceBuffer<Int32>
  /// Makes bytes resident (the CPU aliases them; a GPU copies them once).
  func resident(_ storage: ByteStorage) -> DeviceBuffer<UInt8>
  func free(_ buffer: DeviceBuffer<Float>)
  func free(_ buffer: DeviceBuffer<Int32>)
  func free(_ buffer: DeviceBuffer<UInt8>)

  func upload(_ source: UnsafeBufferPointer<Float>, to destination: DeviceBuffer<Float>)
  func upload(_ source: UnsafeBufferPointer<Int32>, to destination: DeviceBuffer<Int32>)
  func download(_ source: DeviceBuffer<Float>, into destination: UnsafeMutableBufferPointer<Float>)
  func download(_ source: DeviceBuffer<Int32>, into destination: UnsafeMutableBufferPointer<Int32>)
  /// Waits until all queued work is done (before reading clocks).
  func synchronize()

  /// x[i] = value.
  func fill(_ x: DeviceBuffer<Float>, value: Float)
  /// C = alpha·op(A)·op(B) + beta·C, row-major; op(A): (m, k), op(B): (k, n), C: (m, n).
  func sgemm(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: DeviceBuffer<Float>, lda: Int, b: DeviceBuffer<Float>, ldb: Int,
    beta: Float, c: DeviceBuffer<Float>, ldc: Int)
  /// x[r, :] = images[order[start + r], :] / divisor; y[r] = labels[order[start + r]].
  func gatherScale(
    images: DeviceBuffer<UInt8>, labels: DeviceBuffer<UInt8>, order: DeviceBuffer<Int32>,
    start: Int, rows: Int, width: Int, divisor: Float,
    x: DeviceBuffer<Float>, y: DeviceBuffer<Int32>)
  /// out[r, :] = bias for r in 0..<rows (out: (rows, cols)).
  func broadcastRows(
    _ bias: DeviceBuffer<Float>, rows: Int, cols: Int, into out: DeviceBuffer<Float>)
  /// db (+)= Σ_r dy[r, :] (dy: (rows, cols)); accumulate false overwrites.
  func sumRows(
    _ dy: DeviceBuffer<Float>, rows: Int, cols: Int, into db: DeviceBuffer<Float>,
    accumulate: Bool)
  /// y = f(x), n elements.
  func activationForward(_ kind: Activation, x: DeviceBuffer<Float>, y: DeviceBuffer<Float>, n: Int)
  /// dx = dy ⊙ f'(x), using x (pre-activation) and y = f(x).
  func activationBackward(
    _ kind: Activation, x: DeviceBuffer<Float>, y: DeviceBuffer<Float>,
    dy: DeviceBuffer<Float>, dx: DeviceBuffer<Float>, n: Int)
  /// Fused stable softmax + cross-entropy over rows of logits (rows, classes).
  /// metrics[0] = mean loss over rows, metrics[1] = correct count (argmax == label);
  /// dlogits (if given) = (softmax − onehot) / rows. predictions (if given) = argmax per row.
  func softmaxCrossEntropy(
    logits: DeviceBuffer<Float>, labels: DeviceBuffer<Int32>, rows: Int, classes: Int,
    dlogits: DeviceBuffer<Float>?, predictions: DeviceBuffer<Int32>?, metrics: DeviceBuffer<Float>)
  /// out[0] = Σ x[i]² (δ², squared norms).
  func sumSquares(_ x: DeviceBuffer<Float>, n: Int, into out: DeviceBuffer<Float>)
  /// torch.optim.SGD step; `momentumBuffer` nil when momentum is 0.
  func sgdUpdate(
    parameters: DeviceBuffer<Float>, gradients: DeviceBuffer<Float>,
    momentumBuffer: DeviceBuffer<Float>?, n: Int, lr: Float, momentum: Float,
    weightDecay: Float, firstStep: Bool)
  /// torch.optim.Adam step (t is the 1-based step count; bias corrections computed in Double).
  func adamUpdate(
    parameters: DeviceBuffer<Float>, gradients: DeviceBuffer<Float>,
    m: DeviceBuffer<Float>, v: DeviceBuffer<Float>, n: Int, lr: Double,
    beta1: Double, beta2: Double, eps: Double, weightDecay: Float, step t: Int)
}
