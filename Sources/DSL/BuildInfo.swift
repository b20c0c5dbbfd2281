import NN

/// How this binary was built, in words for `env`, `device`, reports and `kernel --version`.
public enum BuildInfo {
  /// `debug` or `release`: the SwiftPM configuration (`swift run` builds debug).
  public static var configuration: String { NNBuild.configuration.rawValue }

  /// The configuration and what it means for training speed, e.g.
  /// `debug (NN engine optimised: training close to release speed)`.
  public static var description: String {
    switch (NNBuild.configuration, NNBuild.isOptimized) {
    case (.release, _): return "release"
    case (.debug, true): return "debug (NN engine optimised: training close to release speed)"
    case (.debug, false): return "debug (NN engine unoptimised: training many times slower than release)"
    }
  }

  /// What a debug build says once when it first trains; nil in a release build.
  static var trainingNote: String? {
    switch (NNBuild.configuration, NNBuild.isOptimized) {
    case (.release, _): return nil
    case (.debug, true):
      return
        "debug build (NN engine optimised, close to release speed); for a report's timings use swift build -c release"
    case (.debug, false):
      return "debug build with an unoptimised NN engine: training is many times slower; use swift build -c release"
    }
  }
}
