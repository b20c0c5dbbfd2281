import NN

extension Session {
  /// The runs grouped by everything but their seed, in first-appearance order; a run whose
  /// configuration no other run shares is a group of one.
  func seedGroups(_ selected: [RunRecord]) -> [[RunRecord]] {
    var order: [String] = []
    var groups: [String: [RunRecord]] = [:]
    for r in selected {
      var config = r.config
      config.seed = 0
      let key = "\(r.model)|" + TrainParam.allCases.map { $0.text(config) }.joined(separator: "|")
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(r)
    }
    return order.compactMap { groups[$0] }
  }

  /// The runs as plots draw them: a group of several runs where they differ only in their seed,
  /// each with another seed, where its first run stands; every other run alone and in place
  /// (identical runs are not a spread).
  func seedBands(_ selected: [RunRecord]) -> [[RunRecord]] {
    let bands = seedGroups(selected).filter { $0.count > 1 && Set($0.map(\.config.seed)).count == $0.count }
    var out: [[RunRecord]] = []
    for r in selected {
      if let band = bands.first(where: { $0.contains { $0.name == r.name } }) {
        if band[0].name == r.name { out.append(band) }
      } else {
        out.append([r])
      }
    }
    return out
  }

  /// A seed group's legend name: the first run's name without its seed part, and the seeds.
  func seedGroupLabel(_ group: [RunRecord]) -> String {
    let first = group[0]
    let seed = "seed\(first.config.seed)"
    var base = first.name
    for pattern in ["_\(seed)", "\(seed)_", "-\(seed)", seed] {
      if let range = base.range(of: pattern) {
        base.removeSubrange(range)
        break
      }
    }
    let seeds = group.map { String($0.config.seed) }.joined(separator: ",")
    return base.isEmpty ? "seeds \(seeds) (mean ± sd)" : "\(base) seeds \(seeds) (mean ± sd)"
  }

  /// One line per series of a seed group: the mean over its runs at each epoch that every run
  /// reached, with a band of ± one population standard deviation.
  func seedBandLines(_ group: [RunRecord], label: String, _ series: (RunRecord) -> [(String, [Double])])
    -> [PlotSpec.Line]
  {
    let perRun = group.map(series)
    var lines: [PlotSpec.Line] = []
    for (k, (suffix, _)) in perRun[0].enumerated() {
      let columns = perRun.compactMap { k < $0.count ? $0[k].1 : nil }
      guard columns.count == group.count else { continue }
      let n = zip(group, columns).map { min($0.epochs.count, $1.count) }.min() ?? 0
      var mean: [Double] = []
      var lower: [Double] = []
      var upper: [Double] = []
      for i in 0..<n {
        let (m, sd) = meanAndSD(columns.map { $0[i] })
        mean.append(m)
        lower.append(m - sd)
        upper.append(m + sd)
      }
      let x = group[0].epochs.prefix(n).map { Double($0.epoch) }
      lines.append(
        .init(
          name: suffix.isEmpty ? label : "\(label) \(suffix)", x: Array(x), y: mean,
          band: Chart.Band(lower: lower, upper: upper)))
    }
    return lines
  }

  /// Mean and population standard deviation; both NaN for no values.
  func meanAndSD(_ xs: [Double]) -> (Double, Double) {
    guard !xs.isEmpty else { return (.nan, .nan) }
    let m = xs.reduce(0, +) / Double(xs.count)
    return (m, (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count)).squareRoot())
  }
}
