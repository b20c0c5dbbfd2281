import Foundation

/// How the GPU path launches a step: graph size, forward row grouping, fused head.
///
/// Every run uses `CUDATuning.environment`, read from the process environment once; tests and the
/// benchmarks pass their own value instead of changing the environment.
public struct CUDATuning: Sendable, Equatable {
  /// Steps per captured CUDA graph, 0...1024 (0: no graphs, direct launches).
  public let graphSteps: Int
  /// Rows per warp of the forward kernel, 1...4; nil chooses by shape.
  public let forwardRows: Int?
  /// Whether a step may use the fused single-block head.
  public let fusedHead: Bool

  /// Steps per captured CUDA graph unless asked otherwise.
  public static let defaultGraphSteps = 32

  /// The defaults: graphs of 32 steps, rows per warp by shape, the fused head where it applies.
  public init(graphSteps: Int = defaultGraphSteps, forwardRows: Int? = nil, fusedHead: Bool = true) {
    self.graphSteps = max(0, min(graphSteps, 1024))
    self.forwardRows = forwardRows.map { max(1, min($0, 4)) }
    self.fusedHead = fusedHead
  }

  /// The tuning that `environment` asks for: `NNDSL_CUDA_GRAPH_STEPS` (an integer, clamped to
  /// 0...1024), `NNDSL_CUDA_FORWARD_ROWS` (an integer, clamped to 1...4) and
  /// `NNDSL_CUDA_FUSED_HEAD` (`0` turns the fused head off); unset or unreadable: the default.
  public init(environment: [String: String]) {
    self.init(
      graphSteps: environment["NNDSL_CUDA_GRAPH_STEPS"].flatMap { Int($0) } ?? Self.defaultGraphSteps,
      forwardRows: environment["NNDSL_CUDA_FORWARD_ROWS"].flatMap { Int($0) },
      fusedHead: environment["NNDSL_CUDA_FUSED_HEAD"] != "0")
  }

  /// The process's tuning, read from its environment on first use.
  public static let environment = CUDATuning(environment: ProcessInfo.processInfo.environment)

  /// This tuning with graphs of `steps` steps.
  public func with(graphSteps steps: Int) -> CUDATuning {
    CUDATuning(graphSteps: steps, forwardRows: forwardRows, fusedHead: fusedHead)
  }

  /// Steps between host reads of the metrics (progress, divergence, stop requests).
  var readInterval: Int { max(graphSteps, 1) * 16 }
}
