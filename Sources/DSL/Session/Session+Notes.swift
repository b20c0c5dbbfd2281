import NN

extension Session {
  /// Shows a note as normal output (stdout, `note: ...`) the first time its text comes up in this
  /// session; the same note again is not repeated (a changed note is shown). Warnings and errors
  /// stay on stderr.
  func notice(_ text: String, _ ctx: RunContext) {
    guard shownNotes.insert(text).inserted else { return }
    ctx.emit(.text("note: \(text)\n"))
  }

  /// The notes of a training run's start: the build, and the device when device=auto fell back to
  /// the CPU (short; `device` has the full reason).
  func trainingNotes(_ config: TrainConfig, setupNotes: [RunNote]) -> [String] {
    var notes: [String] = []
    if let build = BuildInfo.trainingNote { notes.append(build) }
    let fellBack = config.device == .auto && !gpu.usable
    if fellBack { notes.append("no usable GPU (\(shortReason(gpu.reason))): training on the CPU; `device` shows why") }
    for note in setupNotes {
      switch note {
      // The engine's own fallback note carries the full reason: the short one above replaces it.
      case .cpuFallback where fellBack: continue
      case .cpuFallback, .gpuFailedFallback, .gpuError, .blasSetup, .graphCaptureFailed, .diverged,
        .partialEpoch, .gpuEvidence, .remark:
        notes.append(note.text)
      }
    }
    return notes
  }

  /// The first clause of a GPU probe's reason: `no NVIDIA driver: libcuda.so.1 ...` → `no NVIDIA driver`.
  private func shortReason(_ reason: String) -> String {
    let head = reason.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reason
    return head.count <= 60 ? head : String(head.prefix(57)) + "..."
  }
}
