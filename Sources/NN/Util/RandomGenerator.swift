/// The run's deterministic generator: xoshiro256** seeded through SplitMix64.
struct RandomGenerator {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

  init(seed: UInt64) {
    var sm = seed
    func splitMix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3 << 45 | s3 >> 19
    return result
  }

  /// Uniform in [0, 1) with 53 random bits.
  mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// Uniform integer in 0..<bound (Lemire's method, unbiased).
  mutating func next(below bound: UInt64) -> UInt64 {
    precondition(bound > 0)
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }

  /// Fisher–Yates shuffle in place.
  mutating func shuffle(_ values: inout [Int32]) {
    var i = values.count - 1
    while i > 0 {
      let j = Int(next(below: UInt64(i + 1)))
      values.swapAt(i, j)
      i -= 1
    }
  }
}
