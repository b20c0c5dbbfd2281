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
    case .cpuFallback(let reason): return Head.cpuFallback + reason + ")"
    case .gpuFailedFallback(let error): return Head.gpuFailedFallback + error + ")"
    case .gpuError(let error): return Head.gpuError + error
    case .blasSetup(let text): return text
    case .graphCaptureFailed(let error): return Head.graphCaptureFailed + error
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

  /// The note a line reads as, the inverse of `text` (the run store keeps notes as lines); any
  /// other line is a `.remark`. `evidence` is the run's own, for its evidence line. A BLAS setup
  /// line has no mark of its own and reads as a remark (with the same text).
  public init(line: String, evidence: GPUEvidence? = nil) {
    self = Self.parse(line, evidence: evidence) ?? .remark(line)
  }

  /// The fixed starts of the free-text notes' lines, shared by `text` and `init(line:)`.
  private enum Head {
    static let cpuFallback = "device=auto: training on the CPU ("
    static let gpuFailedFallback = "device=auto: the GPU failed, training on the CPU ("
    static let gpuError = "GPU error: "
    static let graphCaptureFailed = "CUDA graph capture failed, using direct launches: "
  }

  private static func parse(_ line: String, evidence: GPUEvidence?) -> RunNote? {
    if line.hasPrefix(GPUEvidence.prefix) { return evidence.map(RunNote.gpuEvidence) }
    // Each candidate is kept only when it renders back to the same line.
    func exact(_ note: RunNote?) -> RunNote? { note.flatMap { $0.text == line ? $0 : nil } }
    func inside(_ head: String, _ tail: String) -> String? {
      guard line.hasPrefix(head), line.hasSuffix(tail), line.count >= head.count + tail.count else { return nil }
      return String(line.dropFirst(head.count).dropLast(tail.count))
    }
    let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let candidates: [RunNote?] = [
      inside(Head.cpuFallback, ")").map { .cpuFallback(reason: $0) },
      inside(Head.gpuFailedFallback, ")").map { .gpuFailedFallback(error: $0) },
      inside(Head.gpuError, "").map { .gpuError($0) },
      inside(Head.graphCaptureFailed, "").map { .graphCaptureFailed(error: $0) },
      // diverged: loss became L at epoch E step S; epoch E has no epoch record
      words.count == 15 && words[0] == "diverged:"
        ? Float(words[3]).flatMap { loss in
          Int(words[6]).flatMap { epoch in
            Int(words[8].dropLast()).map { .diverged(loss: loss, epoch: epoch, step: $0) }
          }
        } : nil,
      // epoch E is partial: S of N steps
      words.count == 8 && words[0] == "epoch" && words[3] == "partial:"
        ? Int(words[1]).flatMap { epoch in
          Int(words[4]).flatMap { steps in Int(words[6]).map { .partialEpoch(epoch: epoch, steps: steps, of: $0) } }
        } : nil,
    ]
    return candidates.lazy.compactMap(exact).first
  }
}
