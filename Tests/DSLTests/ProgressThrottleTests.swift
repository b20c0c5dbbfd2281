import Testing

@testable import DSL

/// The one progress rate limit: due at most once per interval; an epoch's end always passes,
/// marked due only when the interval has gone by.
@Test func progressThrottleAdmitsDueUpdatesAndEveryEpochEnd() {
  // (seconds, end of epoch) → (passed on, due for a live display)
  let steps: [(Double, Bool, Bool, Bool)] = [
    (10.00, false, true, true),  // the first update opens the display
    (10.05, false, false, false),
    (10.10, true, true, false),  // an epoch's end too soon: passed on, held back by a display
    (10.25, false, true, true),
    (10.40, false, false, false),
    (10.50, true, true, true),
    (10.55, true, true, false),
  ]
  var throttle = ProgressThrottle()
  for (now, end, pass, due) in steps {
    let admitted = throttle.admit(endOfEpoch: end, now: now)
    #expect(admitted.pass == pass && admitted.due == due, "at \(now)")
  }
}
