/// The SwiftPM configuration a binary was built in.
public enum BuildConfiguration: String, Sendable {
  /// `swift build` / `swift run` (the default).
  case debug
  /// `swift build -c release`.
  case release
}

/// How the engine was compiled: the package configuration and whether its code is optimised.
public enum NNBuild {
  /// The configuration of the build (SwiftPM defines DEBUG in debug builds, whatever the flags).
  public static let configuration: BuildConfiguration = {
    #if DEBUG
      return .debug
    #else
      return .release
    #endif
  }()

  /// Whether the engine's code was compiled with optimisation (release builds, and debug builds
  /// through Package.swift's `-O` for this target); false means training runs many times slower.
  public static let isOptimized: Bool = !_isDebugAssertConfiguration()
}
