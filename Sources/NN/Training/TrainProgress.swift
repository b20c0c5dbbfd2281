/// A progress snapshot, reported after each training step.
public struct TrainProgress: Sendable {
  /// 1-based epoch.
  public var epoch: Int
  /// Total epochs of the run.
  public var epochs: Int
  /// 1-based step within the epoch.
  public var step: Int
  /// Steps per epoch.
  public var stepsPerEpoch: Int
  /// 1-based step over the whole run.
  public var globalStep: Int
  /// Mean batch loss so far in this epoch.
  public var runningLoss: Double
  /// Training accuracy so far in this epoch.
  public var runningAccuracy: Double
  /// Seconds since the run started.
  public var elapsed: Double

  /// Creates a snapshot.
  public init(
    epoch: Int, epochs: Int, step: Int, stepsPerEpoch: Int, globalStep: Int,
    runningLoss: Double, runningAccuracy: Double, elapsed: Double
  ) {
    self.epoch = epoch
    self.epochs = epochs
    self.step = step
    self.stepsPerEpoch = stepsPerEpoch
    self.globalStep = globalStep
    self.runningLoss = runningLoss
    self.runningAccuracy = runningAccuracy
    self.elapsed = elapsed
  }
}
