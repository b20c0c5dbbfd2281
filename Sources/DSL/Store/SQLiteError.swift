import CSQLite

/// A failed SQLite call: the result code and SQLite's own message.
struct SQLiteError: Error, CustomStringConvertible {
  /// The extended result code (`SQLITE_BUSY`, `SQLITE_NOTADB`, …).
  let code: Int32
  /// SQLite's message for the call.
  let message: String

  /// The primary result code (the low byte of the extended code).
  var primary: Int32 { code & 0xff }

  var description: String { "\(message) (SQLite code \(code))" }

  /// Whether another connection holds a lock longer than the busy timeout.
  var isBusy: Bool { primary == SQLITE_BUSY || primary == SQLITE_LOCKED }
  /// Whether the file is not a database at all.
  var isNotADatabase: Bool { primary == SQLITE_NOTADB }
  /// Whether the database is damaged.
  var isCorrupt: Bool { primary == SQLITE_CORRUPT }
  /// Whether the file or its directory cannot be written.
  var isReadOnly: Bool { primary == SQLITE_READONLY || primary == SQLITE_PERM || primary == SQLITE_CANTOPEN }
}
