/// Names users bring from PyTorch, Keras or the course text, mapped to the language's own names,
/// so that "did you mean" finds what the edit distance cannot (`optimizer` is 6 edits from `opt`).
///
/// Only hints use this table: the language accepts its own names only.
enum Synonyms {
  /// Parameter names of `set`, `train` and `sweep`, by the name a user may write.
  static let trainParams: [String: TrainParam] = [
    "optimizer": .opt, "optim": .opt, "optimiser": .opt,
    "learning_rate": .lr, "learningrate": .lr, "lr_rate": .lr,
    "batch_size": .batch, "batchsize": .batch, "bs": .batch,
    "num_epochs": .epochs, "n_epochs": .epochs, "epoch": .epochs,
    "wd": .weightDecay, "l2": .weightDecay, "decay": .weightDecay,
    "zerograd": .zeroGrad, "zero_grads": .zeroGrad,
    "num_threads": .threads, "workers": .threads,
    "random_seed": .seed,
  ]

  /// Metrics of `plot`, by the name a user may write (δ is written `delta` on a keyboard).
  static let metrics: [String: Metric] = [
    "delta_sq": .gradSq, "delta2": .gradSq, "delta": .gradSq, "deltas": .gradSq,
    "delta_squared": .gradSq, "grad_squared": .gradSq, "grad2": .gradSq,
    "acc": .testAcc, "test_accuracy": .testAcc, "val_acc": .testAcc,
    "train_accuracy": .trainAcc, "val_loss": .testLoss,
    "time": .epochTime, "epoch_s": .epochTime,
  ]

  /// The hint for a parameter name that is a known synonym allowed here, or nil.
  static func paramHint(for name: String, allowed: [String]) -> String? {
    guard let p = trainParams[name.lowercased()], allowed.contains(p.rawValue) else { return nil }
    return "did you mean '\(p.rawValue)'?"
  }

  /// The hint for a metric name that is a known synonym, or nil.
  static func metricHint(for name: String) -> String? {
    guard let m = metrics[name.lowercased()] else { return nil }
    return "did you mean '\(m.rawValue)'?"
  }
}
