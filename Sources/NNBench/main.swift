// Benchmarks for the NN engine: `speed` (seconds per epoch) and `parity` (accuracy vs PyTorch).
import Foundation
import NN

/// PyTorch 2.13 CPU means over seeds 0,1,2 after 10 epochs (shared/reference/RESULTS.md).
let torchAccuracy: [String: Double] = [
  "baseline": 0.8798, "bs16": 0.8770, "bs64": 0.8786, "lr1e-2": 0.8450, "lr1e-4": 0.8611,
  "sgd": 0.7857, "no_zero_grad": 0.2450,
]

/// The seven study runs.
func studyRuns() -> [(String, TrainConfig)] {
  func make(_ edit: (inout TrainConfig) -> Void) -> TrainConfig {
    var c = TrainConfig()
    c.device = .cpu
    edit(&c)
    return c
  }
  return [
    ("baseline", make { _ in }),
    ("bs16", make { $0.batch = 16 }),
    ("bs64", make { $0.batch = 64 }),
    ("lr1e-2", make { $0.lr = 1e-2 }),
    ("lr1e-4", make { $0.lr = 1e-4 }),
    ("sgd", make { $0.optimizer = .sgd }),
    ("no_zero_grad", make { $0.zeroGrad = false }),
  ]
}

struct Options {
  var command = "speed"
  var epochs: Int?
  var seeds: [UInt64] = [0, 1, 2]
  var batches = [16, 32, 64]
  var threads = 1
  var json = false
  var data: String?
  var runs: [String]?
  var out: String?
}

func parse(_ args: [String]) -> Options? {
  var o = Options()
  var i = 0
  if let first = args.first, !first.hasPrefix("-") {
    o.command = first
    i = 1
  }
  func value() -> String? {
    i += 1
    return i < args.count ? args[i] : nil
  }
  while i < args.count {
    switch args[i] {
    case "--epochs":
      guard let v = value().flatMap(Int.init) else { return nil }
      o.epochs = v
    case "--seeds":
      guard let v = value() else { return nil }
      o.seeds = v.split(separator: ",").compactMap { UInt64($0) }
    case "--batches":
      guard let v = value() else { return nil }
      o.batches = v.split(separator: ",").compactMap { Int($0) }
    case "--threads":
      guard let v = value().flatMap(Int.init) else { return nil }
      o.threads = v
    case "--data": o.data = value()
    case "--runs": o.runs = value()?.split(separator: ",").map(String.init)
    case "--json": o.json = true
    case "--out": o.out = value()
    default: return nil
    }
    i += 1
  }
  return o
}

/// Unbuffered line output (progress shows up even when stdout is a file).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// User + system CPU seconds of this process so far.
func processCPUSeconds() -> Double {
  var usage = rusage()
  getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
    + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
}

func fmt(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }

func speed(_ o: Options, data: Dataset) throws {
  let epochs = o.epochs ?? 3
  if !o.json {
    say("NN engine speed: \(SystemInfo.openBLASConfig), core \(SystemInfo.openBLASCore)")
    say("CPU: \(SystemInfo.cpuModel), \(SystemInfo.cores) cores; threads=\(o.threads)")
    say("batch  epoch seconds                      best    steps/s  cpu s/epoch")
  }
  for b in o.batches {
    var c = TrainConfig()
    c.batch = b
    c.epochs = epochs
    c.device = .cpu
    c.threads = o.threads
    let trainer = try Trainer(model: .baseline, config: c, data: data)
    let cpu0 = processCPUSeconds()
    let r = trainer.run(name: "speed-b\(b)")
    // CPU seconds of the whole run (training + per-epoch evaluation) per epoch: robust on a
    // shared machine where wall time includes waiting for the core.
    let cpuPerEpoch = (processCPUSeconds() - cpu0) / Double(max(r.epochs.count, 1))
    let secs = r.epochs.map(\.seconds)
    let best = secs.min() ?? .nan
    if o.json {
      let obj: [String: Any] = [
        "batch": b, "epoch_s": secs, "best_s": best, "train_s": r.trainSeconds,
        "test_acc": r.epochs.last?.testAccuracy ?? 0, "cpu_s_per_epoch": cpuPerEpoch,
      ]
      if let d = try? JSONSerialization.data(withJSONObject: obj),
        let s = String(data: d, encoding: .utf8)
      {
        say(s)
      }
    } else {
      say(
        String(b).padding(toLength: 7, withPad: " ", startingAt: 0)
          + secs.map { fmt($0) }.joined(separator: " ").padding(
            toLength: 35, withPad: " ", startingAt: 0)
          + fmt(best) + "   " + fmt(r.stepsPerSecond, 0) + "     " + fmt(cpuPerEpoch))
    }
  }
}

func parity(_ o: Options, data: Dataset) throws {
  let epochs = o.epochs ?? 10
  say("parity: \(epochs) epochs, seeds \(o.seeds.map(String.init).joined(separator: ","))")
  say("run            ours mean ± sd      torch   Δ pp   check   train_s/run")
  var allOK = true
  for (name, base) in studyRuns() where o.runs?.contains(name) ?? true {
    var accs: [Double] = []
    var trainS = 0.0
    for seed in o.seeds {
      var c = base
      c.epochs = epochs
      c.seed = seed
      c.threads = o.threads
      let r = try Trainer(model: .baseline, config: c, data: data).run(name: name)
      accs.append(r.epochs.last?.testAccuracy ?? .nan)
      trainS += r.trainSeconds
    }
    let mean = accs.reduce(0, +) / Double(accs.count)
    let sd = (accs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(accs.count)).squareRoot()
    let torch = torchAccuracy[name] ?? .nan
    let ok = name == "no_zero_grad" ? mean < 0.5 : abs(mean - torch) <= 0.01
    allOK = allOK && ok
    say(
      name.padding(toLength: 15, withPad: " ", startingAt: 0)
        + "\(fmt(mean, 4)) ± \(fmt(sd, 4))    \(fmt(torch, 4))  "
        + String(format: "%+5.2f", (mean - torch) * 100) + "   " + (ok ? "ok  " : "FAIL")
        + "    " + fmt(trainS / Double(o.seeds.count), 2))
  }
  say(allOK ? "parity: all within bounds" : "parity: some runs out of bounds")
}

/// Writes Fashion-MNIST-shaped IDX files of class prototypes plus noise (for machines
/// without the data set: speed does not depend on the pixels).
func synth(_ o: Options) throws {
  let dir = o.data ?? "synthetic-fashion"
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  var state: UInt64 = 0x1234_5678
  func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state >> 33
  }
  let prototypes = (0..<10).map { _ in (0..<784).map { _ in UInt8(truncatingIfNeeded: next()) } }
  for (prefix, n) in [("train", 60000), ("t10k", 10000)] {
    var labels = [UInt8](repeating: 0, count: n)
    var images = [UInt8](repeating: 0, count: n * 784)
    for i in 0..<n {
      let c = Int(next() % 10)
      labels[i] = UInt8(c)
      for j in 0..<784 where prototypes[c][j] > 100 {
        images[i * 784 + j] = prototypes[c][j] &+ UInt8(truncatingIfNeeded: next() % 32)
      }
    }
    try IDXFile.write(
      path: "\(dir)/\(prefix)-images-idx3-ubyte.gz", dimensions: [n, 28, 28], bytes: images,
      gzip: true)
    try IDXFile.write(
      path: "\(dir)/\(prefix)-labels-idx1-ubyte.gz", dimensions: [n], bytes: labels, gzip: true)
  }
  say("wrote \(dir)")
}

let usage = """
  usage: NNBench speed  [--epochs N (3)] [--batches 16,32,64] [--threads T] [--json] [--data DIR]
         NNBench parity [--seeds 0,1,2] [--epochs N (10)] [--runs baseline,sgd,...] [--data DIR]
         NNBench synth  [--data DIR]   (writes Fashion-MNIST-shaped random IDX files)
         NNBench gpu-check [--epochs N (10)] [--data DIR] [--out DIR]   (GPU parity and timing)
  """

guard let options = parse(Array(CommandLine.arguments.dropFirst())),
  ["speed", "parity", "synth", "gpu-check"].contains(options.command)
else {
  say(usage)
  exit(2)
}
do {
  if options.command == "synth" {
    try synth(options)
    exit(0)
  }
  let data = try DataSource.loadFashionMNIST(directory: options.data)
  if options.command == "gpu-check" { exit(try gpuCheck(options, data: data) ? 0 : 1) }
  if options.command == "speed" {
    try speed(options, data: data)
  } else {
    try parity(options, data: data)
  }
} catch {
  say("error: \(error)")
  exit(1)
}
