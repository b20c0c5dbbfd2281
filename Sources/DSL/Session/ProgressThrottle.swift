import Foundation

/// The one rate limit on training progress. An update is due for a live display at most once
/// per `interval`; the end of every epoch passes as well (consoles and scripts write a line per
/// epoch), marked not due when it comes sooner, so a live display still changes at most five
/// times a second.
struct ProgressThrottle {
  /// The shortest time between two updates a live display shows (≤ 5 updates/s).
  static let interval = 0.2
  private var lastDue = -Double.infinity

  /// Whether an update goes to the host at all, and whether a live display shows it now.
  mutating func admit(endOfEpoch: Bool, now: Double = ProcessInfo.processInfo.systemUptime)
    -> (pass: Bool, due: Bool)
  {
    let due = now - lastDue >= Self.interval
    if due { lastDue = now }
    return (due || endOfEpoch, due)
  }
}
