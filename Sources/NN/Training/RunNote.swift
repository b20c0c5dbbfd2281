/// A remark on a run, typed so that readers tell kinds apart by case; `text` is the line shown.
public enum RunNote: Sendable, Equatable, Codable, CustomStringConvertible {
  /// device=auto found no usable GPU; the run trains on the CPU.
  case cpuFallback(reason: String)
  /// device=auto: the GPU failed during setup or the run; the run trained again on the CPU.
  case gpuFailedFallback(error: String)
  /// device=gpu: the GPU could not complete the run (the record has no epochs).
  case gpuError(String)
  /// The BLAS library's setup was adjusted (e.g. its core re-selected).
  case blasSetup(String)
  /// The driver refused CUDA graph capture; the steps used direct launches.
  case graphCaptureFailed(error: String)
  /// The loss became non-finite at this epoch and step; that epoch has no record.
  case diverged(loss: Float, epoch: Int, step: Int)
  /// The run stopped inside this epoch after `steps` of `of` steps.
  case partialEpoch(epoch: Int, steps: Int, of: Int)
  /// What a GPU run did on the device.
  case gpuEvidence(GPUEvidence)
  /// Free text: notes given by a caller, or read back from text.
  case remark(String)

  /// The note as one line, e.g. "device=auto: training on the CPU (no libcuda.so.1)".
  public var text: String {
    switch self {
    case .cpuFallback(let reason): return "device=auto: training on the CPU (\(reason))"
    case .gpuFailedFallback(let error):
      return "device=auto: the GPU failed, training on the CPU (\(error))"
    case .gpuError(let error): return "GPU error: \(error)"
    case .blasSetup(let text): return text
    case .graphCaptureFailed(let error):
      return "CUDA graph capture failed, using direct launches: \(error)"
    case .diverged(let loss, let epoch, let step):
      return "diverged: loss became \(loss) at epoch \(epoch) step \(step); "
        + "epoch \(epoch) has no epoch record"
    case .partialEpoch(let epoch, let steps, let of):
      return "epoch \(epoch) is partial: \(steps) of \(of) steps"
    case .gpuEvidence(let evidence): return evidence.note
    case .remark(let text): return text
    }
  }

  /// The note says why a run did not train on the GPU (a fallback or a GPU error).
  public var explainsCPURun: Bool {
    switch self {
    case .cpuFallback, .gpuFailedFallback, .gpuError: return true
    case .blasSetup, .graphCaptureFailed, .diverged, .partialEpoch, .gpuEvidence, .remark:
      return false
    }
  }

  /// Same as `text`.
  public var description: String { text }
}
