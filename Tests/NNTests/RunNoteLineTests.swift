import Testing

@testable import NN

/// A note read back from its line (as the run store keeps notes) is the same note.
@Suite struct RunNoteLineTests {
  static let evidence = GPUEvidence(
    device: "D", capability: "9.0", moduleForm: "CUBIN sm_90", nvrtcVersion: "13.0",
    driverVersion: "13.0", kernelsLaunched: 1, graphLaunches: 0, graphSteps: 0, gemmCalls: 1,
    bytesAllocated: 1, peakDeviceMemory: 1)

  @Test(arguments: [
    RunNote.cpuFallback(reason: "no NVIDIA driver: libcuda.so.1 (not found)"),
    .gpuFailedFallback(error: "out of memory (cuMemAlloc)"),
    .gpuError("no device"),
    .graphCaptureFailed(error: "refused"),
    .diverged(loss: .infinity, epoch: 2, step: 7),
    .diverged(loss: .nan, epoch: 1, step: 1),
    .diverged(loss: 3.25e38, epoch: 10, step: 1875),
    .diverged(loss: 1.5e-7, epoch: 1, step: 2),
    .partialEpoch(epoch: 3, steps: 5, of: 9),
    .gpuEvidence(evidence),
    .remark("setup"),
    .remark("device=auto: something else"),
  ])
  func aNoteReadsBackFromItsLine(_ note: RunNote) {
    let back = RunNote(line: note.text, evidence: Self.evidence)
    if case .diverged(let loss, _, _) = note, loss.isNaN {
      #expect(back.text == note.text)  // NaN is not equal to itself
    } else {
      #expect(back == note)
    }
  }

  @Test func linesWithoutTheirMarkStayRemarks() {
    #expect(RunNote(line: RunNote.blasSetup("OpenBLAS core re-selected").text) == .remark("OpenBLAS core re-selected"))
    #expect(RunNote(line: RunNote.gpuEvidence(Self.evidence).text) == .remark(Self.evidence.note))
    #expect(RunNote(line: "epoch x is partial: 5 of 9 steps") == .remark("epoch x is partial: 5 of 9 steps"))
  }

  @Test func aRecordReadsItsLinesAsKinds() {
    var record = RunRecord(
      name: "r", model: EpochLoopTests.model, config: TrainConfig(),
      epochs: [], stepGradSq: [], stepLoss: [], status: .finished, trainSeconds: 0, totalSeconds: 0,
      stepsPerSecond: 0, backend: "", deviceName: "", parameterNames: [], finalParameters: [],
      notes: ["GPU error: no device"], gpuEvidence: Self.evidence)
    #expect(record.runNotes == [.gpuError("no device")])
    record.notes = [Self.evidence.note, "epoch 1 is partial: 2 of 4 steps"]
    #expect(record.runNotes == [.gpuEvidence(Self.evidence), .partialEpoch(epoch: 1, steps: 2, of: 4)])
  }
}
