/// "Did you mean" suggestions by optimal-string-alignment distance (edits and adjacent swaps).
enum EditDistance {
  /// The number of insertions, deletions, substitutions and adjacent transpositions from a to b,
  /// ignoring case.
  static func distance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased().unicodeScalars)
    let y = Array(b.lowercased().unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
    for i in 0...x.count { d[i][0] = i }
    for j in 0...y.count { d[0][j] = j }
    for i in 1...x.count {
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
          d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
        }
      }
    }
    return d[x.count][y.count]
  }

  /// The closest candidate within a small distance (1 for words of up to 3 letters, else 2).
  static func suggestion(for word: String, among candidates: [String]) -> String? {
    guard word.count <= 64 else { return nil }
    let limit = word.count <= 3 ? 1 : 2
    var best: (name: String, distance: Int)?
    for candidate in candidates {
      let d = distance(word, candidate)
      if d <= limit, d < min(word.count, candidate.count), d < (best?.distance ?? Int.max) {
        best = (candidate, d)
      }
    }
    return best?.name
  }

  /// `did you mean 'X'?` or nil.
  static func hint(for word: String, among candidates: [String]) -> String? {
    suggestion(for: word, among: candidates).map { "did you mean '\($0)'?" }
  }
}
