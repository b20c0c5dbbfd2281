import Foundation

/// One stored cell: history session, line (= execution count), input and text/plain output.
struct HistoryEntry: Sendable, Equatable {
  var session: Int
  var line: Int
  var input: String
  var output: String?

  /// `[session, line, input]`, or `[session, line, [input, output]]` with output.
  func json(output withOutput: Bool) -> JSON {
    let source: JSON =
      withOutput ? .array([.string(input), output.map { .string($0) } ?? .null]) : .string(input)
    return .array([.int(session), .int(line), source])
  }
}

/// Where executed cells are remembered (replaceable; cf. xeus's history manager).
protocol HistoryStore: AnyObject {
  /// The history session number of this process (the first element of each entry).
  var session: Int { get }
  /// Records one executed cell.
  func record(_ entry: HistoryEntry)
  /// The last `n` entries, oldest first.
  func tail(_ n: Int) -> [HistoryEntry]
  /// Entries of `session` with `start <= line < stop` (stop nil: to the end).
  func range(session: Int, start: Int, stop: Int?) -> [HistoryEntry]
  /// The last `n` entries (nil: all) whose input matches the glob `pattern`; with `unique`,
  /// each input only once (its latest occurrence).
  func search(pattern: String, n: Int?, unique: Bool) -> [HistoryEntry]
}

/// History kept in memory for the life of the process.
final class InMemoryHistory: HistoryStore {
  /// The history session number of this process.
  let session: Int
  private var entries: [HistoryEntry] = []

  init(session: Int = 1) { self.session = session }

  func record(_ entry: HistoryEntry) { entries.append(entry) }

  func tail(_ n: Int) -> [HistoryEntry] {
    Array(entries.suffix(max(0, n)))
  }

  func range(session: Int, start: Int, stop: Int?) -> [HistoryEntry] {
    // Session 0 or a negative session means "this one" (relative numbering, as IPython does).
    let wanted = session <= 0 ? self.session : session
    return entries.filter { entry in
      entry.session == wanted && entry.line >= start && (stop.map { entry.line < $0 } ?? true)
    }
  }

  func search(pattern: String, n: Int?, unique: Bool) -> [HistoryEntry] {
    var found: [HistoryEntry] = []
    var seen = Set<String>()
    for entry in entries.reversed() where InMemoryHistory.glob(pattern, matches: entry.input) {
      if unique {
        if seen.contains(entry.input) { continue }
        seen.insert(entry.input)
      }
      found.append(entry)
      if let n, found.count >= n { break }
    }
    return found.reversed()
  }

  /// Shell-style glob (`*`, `?`, `[...]`) over the whole input, as IPython's history search.
  static func glob(_ pattern: String, matches text: String) -> Bool {
    fnmatch(pattern, text, 0) == 0
  }
}
