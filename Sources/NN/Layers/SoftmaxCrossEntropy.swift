/// Fused, numerically stable softmax + cross-entropy (mean over the batch) and its backward.
///
/// E = (1/B) Σ_r [log Σ_c exp(z_rc − max_r) − (z_r,y_r − max_r)];
/// dlogits = (softmax(z) − onehot(y)) / B. metrics[0] = E, metrics[1] = correct count.
// logits: (B, C), labels: (B) -> dlogits: (B, C), metrics: (2)
func softmaxCrossEntropyForwardBackward(
  _ backend: CPUBackend, logits: DeviceBuffer<Float>, labels: DeviceBuffer<Int32>,
  dlogits: DeviceBuffer<Float>?, predictions: DeviceBuffer<Int32>? = nil,
  metrics: DeviceBuffer<Float>, rows: Int, classes: Int
) {
  backend.softmaxCrossEntropy(
    logits: logits, labels: labels, rows: rows, classes: classes,
    dlogits: dlogits, predictions: predictions, metrics: metrics)
}
