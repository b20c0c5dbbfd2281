/// One split of a data set made resident on a backend, with an identity order for evaluation.
final class ResidentSplit {
  let backend: CPUBackend
  let images: DeviceBuffer<UInt8>
  let labels: DeviceBuffer<UInt8>
  let identity: DeviceBuffer<Int32>
  let count: Int

  init(_ data: Dataset, _ split: DataSplit, backend: CPUBackend) {
    self.backend = backend
    let (img, lab) = data.storage(split)
    images = backend.resident(img)
    labels = backend.resident(lab)
    count = data.count(split)
    identity = backend.allocate(indices: max(count, 1))
    let order = (0..<Int32(count)).map { $0 }
    order.withUnsafeBufferPointer { backend.upload($0, to: identity) }
  }

  deinit {
    backend.free(images)
    backend.free(labels)
    backend.free(identity)
  }
}

extension Network {
  /// Loss sum, correct count and (optionally) per-example predictions over a resident split,
  /// in chunks of at most `maxRows`.
  func evaluate(
    _ split: ResidentSplit, inputWidth: Int, classes: Int, wantPredictions: Bool
  ) -> (lossSum: Double, correct: Int, predictions: [Int32]) {
    let metrics = backend.allocate(floats: 2)
    let predictions = wantPredictions ? backend.allocate(indices: maxRows) : nil
    defer {
      backend.free(metrics)
      if let predictions { backend.free(predictions) }
    }
    var lossSum = 0.0
    var correct = 0
    var all: [Int32] = []
    var host = [Float](repeating: 0, count: 2)
    var hostPred = [Int32](repeating: 0, count: wantPredictions ? maxRows : 0)
    var start = 0
    while start < split.count {
      let rows = min(maxRows, split.count - start)
      backend.gatherScale(
        images: split.images, labels: split.labels, order: split.identity, start: start,
        rows: rows, width: inputWidth, divisor: 255, x: input, y: labels)
      let logits = forward(rows: rows)
      softmaxCrossEntropyForwardBackward(
        backend, logits: logits, labels: labels, dlogits: nil, predictions: predictions,
        metrics: metrics, rows: rows, classes: classes)
      host.withUnsafeMutableBufferPointer { backend.download(metrics, into: $0) }
      lossSum += Double(host[0]) * Double(rows)
      correct += Int(host[1])
      if let predictions {
        hostPred.withUnsafeMutableBufferPointer { backend.download(predictions, into: $0) }
        all += hostPred.prefix(rows)
      }
      start += rows
    }
    return (lossSum, correct, all)
  }
}
