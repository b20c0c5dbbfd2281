/// The name a run gets without `as NAME`: `run<k>` with the smallest unused k ≥ 1.
///
/// One rule for the checker (which simulates it for later references in the same cell) and the
/// session (which names the run it trains).
enum RunNaming {
  /// The automatic name, given which names are taken.
  static func automatic(avoiding isTaken: (String) -> Bool) -> String {
    var k = 1
    while isTaken("run\(k)") { k += 1 }
    return "run\(k)"
  }
}

extension RunNaming {
  /// The name of one sweep run: each axis as `<param><value>` joined by `_` (`.` written `p`,
  /// `+` dropped, words in lower case), after `PREFIX_` when the sweep has `as PREFIX`.
  ///
  /// A prefix that already ends with the first axis's parameter name is not repeated:
  /// `sweep lr=0.01 as lr` names `lr_0p01`, not `lr_lr0p01`; `as bs` with `batch=16` names `bs_batch16`.
  static func sweep(prefix: String?, parts: [(param: String, literal: String)]) -> String {
    var pieces: [String] = []
    for (index, part) in parts.enumerated() {
      let value = part.literal.lowercased().map { $0 == "." ? "p" : String($0) }.joined().filter { $0 != "+" }
      let repeatsPrefix = index == 0 && prefix.map { endsWithName($0, part.param) } == true
      pieces.append(repeatsPrefix ? value : part.param + value)
    }
    let joined = pieces.joined(separator: "_")
    return prefix.map { "\($0)_\(joined)" } ?? joined
  }

  /// Whether `prefix` is `name` or ends with `_name` / `-name` (a whole word, not `blr` for `lr`).
  private static func endsWithName(_ prefix: String, _ name: String) -> Bool {
    if prefix == name { return true }
    return prefix.hasSuffix("_" + name) || prefix.hasSuffix("-" + name)
  }
}
