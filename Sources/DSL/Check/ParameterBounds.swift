/// The whole numbers an integer parameter accepts, and how help and errors write them.
struct IntegerBounds: Sendable, Equatable {
  /// The accepted values.
  let range: ClosedRange<Int>
  /// The range as help and errors show it (`1...1_000_000`, `0...2^53`).
  let shown: String

  /// Bounds with their text.
  init(_ range: ClosedRange<Int>, shown: String) {
    self.range = range
    self.shown = shown
  }
}

/// The finite numbers a number parameter accepts, and how errors and help write them.
struct NumberBounds: Sendable, Equatable {
  /// One end of the interval.
  enum Limit: Sendable, Equatable {
    /// The end value is accepted.
    case inclusive(Double)
    /// The end value is refused; every value beyond it towards the other end is accepted.
    case exclusive(Double)

    /// The end value.
    var value: Double {
      switch self {
      case .inclusive(let v), .exclusive(let v): return v
      }
    }
  }

  /// The lower end.
  let lower: Limit
  /// The upper end.
  let upper: Limit
  /// The interval as the checker's error writes it (`'lr' must be > 0 and ≤ 1e30`).
  let shown: String
  /// The interval as help writes it (`> 0, finite, ≤ 1e30`).
  let help: String

  /// Whether `x` is finite and within both ends.
  func contains(_ x: Double) -> Bool {
    guard x.isFinite else { return false }
    let aboveLower: Bool
    switch lower {
    case .inclusive(let v): aboveLower = x >= v
    case .exclusive(let v): aboveLower = x > v
    }
    switch upper {
    case .inclusive(let v): return aboveLower && x <= v
    case .exclusive(let v): return aboveLower && x < v
    }
  }
}
