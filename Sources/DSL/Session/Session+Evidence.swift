import NN

extension Session {
  /// The report's "GPU use and how it was verified" section: for every GPU run what the device
  /// did, counted on the driver's side; the CPU runs and why they did not use a GPU.
  func gpuUseSections() -> [ReportSection] {
    var s: [ReportSection] = [.heading(2, "GPU use and how it was verified")]
    let gpuRuns = runs.compactMap { run in run.gpuEvidence.map { (run, $0) } }
    let cpuRuns = runs.filter { $0.gpuEvidence == nil }
    // The reasons a run is not on the GPU: the device=auto fallback and GPU errors, once each.
    var reasons: [String] = []
    for note in cpuRuns.flatMap(\.runNotes) where note.explainsCPURun && !reasons.contains(note.text) {
      reasons.append(note.text)
    }
    if gpuRuns.isEmpty {
      s.append(
        .paragraph(
          "No run in this session trained on a GPU: every run used the CPU backend ("
            + Set(runs.map(\.backend)).sorted().joined(separator: "; ") + ")."
            + (reasons.isEmpty ? "" : " " + reasons.joined(separator: " "))))
      return s
    }
    s.append(
      .paragraph(
        "Every GPU run records what the device did, counted where the work is submitted to the CUDA "
          + "driver: the kernels the device executed (each node of a replayed CUDA graph counts once per "
          + "replay), the graph launches, the matrix products the fused kernels computed, the device "
          + "memory the run allocated (data set as uint8, parameters, gradients, optimizer state, "
          + "activations), and the peak device memory in use (cuMemGetInfo, all processes), next to "
          + "the device the driver named. The kernels scale with the steps and the allocation with the "
          + "model and data: a run that did not train on the GPU has none of this."))
    var table = Table(
      title: "GPU evidence per run",
      columns: [
        Table.Column("run"), Table.Column("device"), Table.Column("steps", alignment: .right),
        Table.Column("kernels launched", alignment: .right),
        Table.Column("kernels per step", alignment: .right),
        Table.Column("graph launches", alignment: .right),
        Table.Column("GEMM calls", alignment: .right),
        Table.Column("device memory allocated", alignment: .right, unit: "MiB"),
        Table.Column("peak device memory", alignment: .right, unit: "MiB"),
        Table.Column("kernels from"), Table.Column("launches"),
      ])
    for (r, e) in gpuRuns {
      let steps = r.epochs.reduce(0) { $0 + $1.steps }
      table.add([
        .text(r.name), .text("\(e.device) (cc \(e.capability), driver CUDA \(e.driverVersion))"),
        .integer(steps), .integer(e.kernelsLaunched),
        steps > 0 ? .fixed(Double(e.kernelsLaunched) / Double(steps), 2) : .missing,
        .integer(e.graphLaunches), .integer(e.gemmCalls),
        .fixed(Double(e.bytesAllocated) / 1_048_576, 1),
        .fixed(Double(e.peakDeviceMemory) / 1_048_576, 1),
        .text("NVRTC \(e.nvrtcVersion), \(e.moduleForm)"), .text(e.launchMode),
      ])
    }
    table.footnotes = [
      "kernels per step includes the per-epoch evaluation kernels; GEMM calls are products computed "
        + "inside the project's fused kernels (no cuBLAS)."
    ]
    s.append(.table(table))
    if !cpuRuns.isEmpty {
      s.append(
        .paragraph(
          "Runs on the CPU: "
            + cpuRuns.map { "\($0.name) (\($0.backend))" }.joined(separator: ", ") + "."
            + (reasons.isEmpty ? "" : " " + reasons.joined(separator: " "))))
    }
    return s
  }
}
