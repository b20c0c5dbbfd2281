/// The name a run gets without `as NAME`: `run<k>` with the smallest unused k ≥ 1.
///
/// One rule for the checker (which simulates it for later references in the same cell) and the
/// session (which names the run it trains).
public enum RunNaming {
  /// The automatic name, given which names are taken.
  public static func automatic(avoiding isTaken: (String) -> Bool) -> String {
    var k = 1
    while isTaken("run\(k)") { k += 1 }
    return "run\(k)"
  }
}
