import CSQLite
import Foundation

/// One SQLite connection: opening, plain statements, prepared statements and transactions.
///
/// Opened in serialized mode: completion requests may read while a cell writes.
final class SQLiteDatabase {
  private var handle: OpaquePointer?
  /// The database file.
  let path: String

  /// Opens (and, when `create`, creates) the database at `path`.
  init(path: String, readOnly: Bool = false, create: Bool = true) throws(SQLiteError) {
    self.path = path
    var flags = SQLITE_OPEN_FULLMUTEX
    if readOnly {
      flags |= SQLITE_OPEN_READONLY
    } else {
      flags |= SQLITE_OPEN_READWRITE
      if create { flags |= SQLITE_OPEN_CREATE }
    }
    var db: OpaquePointer?
    let rc = sqlite3_open_v2(path, &db, flags, nil)
    guard rc == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
      let code = db.map { sqlite3_extended_errcode($0) } ?? rc
      sqlite3_close_v2(db)
      throw SQLiteError(code: code, message: message)
    }
    sqlite3_extended_result_codes(db, 1)
    handle = db
  }

  deinit { sqlite3_close_v2(handle) }

  /// The last error of this connection.
  private func lastError(_ rc: Int32) -> SQLiteError {
    SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
  }

  /// Waits up to `milliseconds` for another connection's lock before a call fails with SQLITE_BUSY.
  func setBusyTimeout(milliseconds: Int32) {
    sqlite3_busy_timeout(handle, milliseconds)
  }

  /// Runs one or more statements without results.
  func execute(_ sql: String) throws(SQLiteError) {
    let rc = sqlite3_exec(handle, sql, nil, nil, nil)
    guard rc == SQLITE_OK else { throw lastError(rc) }
  }

  /// Prepares one statement.
  func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
    var statement: OpaquePointer?
    let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard rc == SQLITE_OK, let statement else { throw lastError(rc) }
    return SQLiteStatement(statement, database: self)
  }

  /// Runs a statement with bound values and returns its rows.
  @discardableResult
  func query(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
    let statement = try prepare(sql)
    try statement.bind(values)
    return try statement.rows()
  }

  /// The first column of the first row of a query, or nil when there is none.
  func scalar(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> SQLiteValue? {
    try query(sql, values).first?.first
  }

  /// The row id of the last insert.
  var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

  /// Runs `body` in a write transaction (BEGIN IMMEDIATE: the write lock is taken up front, so a
  /// busy store fails here, before anything is changed); rolls back when it throws.
  func writeTransaction<T>(_ body: () throws -> T) throws -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let value = try body()
      try execute("COMMIT")
      return value
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// The error SQLite reports for a failed step (used by statements).
  func stepError(_ rc: Int32) -> SQLiteError { lastError(rc) }
}
