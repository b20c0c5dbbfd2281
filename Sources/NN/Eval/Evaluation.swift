/// Metrics of a model on one split.
public struct Evaluation: Sendable {
  /// Mean cross-entropy over the examples.
  public var loss: Double
  /// Fraction classified correctly.
  public var accuracy: Double
  /// Accuracy per true class (NaN for a class with no examples).
  public var perClassAccuracy: [Double]
  /// confusion[true][predicted] counts.
  public var confusion: [[Int]]

  /// Creates an evaluation result.
  public init(loss: Double, accuracy: Double, perClassAccuracy: [Double], confusion: [[Int]]) {
    self.loss = loss
    self.accuracy = accuracy
    self.perClassAccuracy = perClassAccuracy
    self.confusion = confusion
  }
}
