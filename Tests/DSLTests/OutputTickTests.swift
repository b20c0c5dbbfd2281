import Testing

@testable import DSL

@Suite("OutputTicks")
struct OutputTickTests {
  @Test(arguments: [
    (0.7, 1.0), (1.0, 1.0), (1.1, 2.0), (2.1, 5.0), (7.0, 10.0), (0.03, 0.05), (2500.0, 5000.0),
  ])
  func niceStep(_ raw: Double, _ expected: Double) {
    let step = TickGenerator.niceStep(raw)
    #expect(abs(step - expected) < expected * 1e-9)
  }

  @Test(arguments: [
    (0.81, 0.89, ["0.80", "0.82", "0.84", "0.86", "0.88", "0.90"]),
    (0.0, 37_499.0, ["0", "10k", "20k", "30k", "40k"]),
    (0.0, 0.0037, ["0", "0.001", "0.002", "0.003", "0.004"]),
    (0.0, 0.00037, ["0", "1e-4", "2e-4", "3e-4", "4e-4"]),
    (-2.0, 3.0, ["-2", "-1", "0", "1", "2", "3"]),
    (0.3, 0.3, ["0.26", "0.28", "0.30", "0.32", "0.34"]),
    (0.0, 0.0, ["-1.0", "-0.5", "0", "0.5", "1.0"]),
  ])
  func linearTicks(_ lo: Double, _ hi: Double, _ labels: [String]) {
    let t = TickGenerator.linear(lo: lo, hi: hi, target: 5, expand: true)
    #expect(t.labels == labels)
    #expect(t.lo <= lo && t.hi >= hi)
  }

  @Test func integerAxisNeverHasHalfEpochs() {
    let t = TickGenerator.linear(lo: 1, hi: 3, target: 6, expand: false, integers: true)
    #expect(t.labels == ["1", "2", "3"])
    let single = TickGenerator.linear(lo: 1, hi: 1, target: 6, expand: false, integers: true)
    #expect(single.labels == ["0", "1", "2"])
  }

  @Test(arguments: [
    (1e-5, 3.0, ["1e-5", "1e-4", "0.001", "0.01", "0.1", "1", "10"]),
    (0.02, 0.9, ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"]),
    (0.25, 0.6, ["0.3", "0.4", "0.5", "0.6"]),
    (1e-9, 1e6, ["1e-9", "1e-7", "1e-5", "0.001", "0.1", "10", "1k", "100k"]),
  ])
  func logTicks(_ lo: Double, _ hi: Double, _ labels: [String]) {
    let t = TickGenerator.log(lo: lo, hi: hi)
    #expect(t.labels == labels)
    #expect(t.lo <= lo * 1.000001 && t.hi >= hi * 0.999999)
  }

  @Test(arguments: [
    (0.0, "0"), (0.001, "0.001"), (1e-4, "1e-4"), (2500.0, "2.5k"), (10_000.0, "10k"),
    (1_200_000.0, "1.2M"), (-0.5, "-0.5"), (123.456, "123.5"), (2.5e-5, "2.5e-5"),
  ])
  func compactLabels(_ v: Double, _ expected: String) {
    #expect(NumberFormatting.compact(v) == expected)
  }
}
