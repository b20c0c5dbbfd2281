/// Metrics of one epoch.
///
/// trainLoss is the mean of the epoch's per-step batch losses (as the PyTorch reference script
/// averages `loss` over steps); trainAccuracy is correct predictions over examples seen, both taken
/// from the training forward passes before each update. Test metrics come from an evaluation
/// after the epoch (mean CE over examples, fraction correct).
public struct EpochRecord: Sendable, Codable {
  /// 1-based epoch number.
  public var epoch: Int
  /// Mean over steps of the batch loss.
  public var trainLoss: Double
  /// Fraction of training examples classified correctly during the epoch.
  public var trainAccuracy: Double
  /// Mean cross-entropy over the test set after the epoch.
  public var testLoss: Double
  /// Test accuracy after the epoch.
  public var testAccuracy: Double
  /// Per Linear layer: mean over the epoch's steps of δ² = Σ (∂E/∂s)².
  public var gradSqMean: [Double]
  /// Per Linear layer: sum over the epoch's steps of δ².
  public var gradSqSum: [Double]
  /// Per Linear layer: L2 norm of the weight matrix at epoch end.
  public var weightNorms: [Double]
  /// Per parameter tensor (order = parameterNames): L2 norm of its gradient at epoch end.
  public var gradNorms: [Double]
  /// Seconds of the epoch's training loop (evaluation excluded).
  public var seconds: Double
  /// Steps taken in this epoch.
  public var steps: Int

  /// Creates a record (the trainer fills these; public for tests and imports).
  public init(
    epoch: Int, trainLoss: Double, trainAccuracy: Double, testLoss: Double, testAccuracy: Double,
    gradSqMean: [Double], gradSqSum: [Double], weightNorms: [Double], gradNorms: [Double],
    seconds: Double, steps: Int
  ) {
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.trainAccuracy = trainAccuracy
    self.testLoss = testLoss
    self.testAccuracy = testAccuracy
    self.gradSqMean = gradSqMean
    self.gradSqSum = gradSqSum
    self.weightNorms = weightNorms
    self.gradNorms = gradNorms
    self.seconds = seconds
    self.steps = steps
  }
}

extension EpochRecord {
  /// The record from an epoch's raw sums — one definition of the metrics for every backend.
  /// - Parameters:
  ///   - steps: steps taken; `seen`: training examples they covered.
  ///   - lossSum, correct: sums of the per-step batch losses and of the correct predictions.
  ///   - testCount, testLossSum, testCorrect: the evaluation after the epoch (NaN when no test set).
  init(
    epoch: Int, steps: Int, seen: Int, lossSum: Double, correct: Int,
    testCount: Int, testLossSum: Double, testCorrect: Int,
    gradSqSum: [Double], weightNorms: [Double], gradNorms: [Double], seconds: Double
  ) {
    let testN = Double(max(testCount, 1))
    self.init(
      epoch: epoch, trainLoss: lossSum / Double(steps),
      trainAccuracy: Double(correct) / Double(max(seen, 1)),
      testLoss: testCount == 0 ? .nan : testLossSum / testN,
      testAccuracy: testCount == 0 ? .nan : Double(testCorrect) / testN,
      gradSqMean: gradSqSum.map { $0 / Double(steps) }, gradSqSum: gradSqSum,
      weightNorms: weightNorms, gradNorms: gradNorms, seconds: seconds, steps: steps)
  }
}
