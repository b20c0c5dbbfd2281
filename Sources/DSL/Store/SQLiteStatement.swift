import CSQLite
import Foundation

/// A value read from or bound to SQLite.
enum SQLiteValue: Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])

  /// The value as an integer (reals are truncated); nil for other types.
  var int: Int? {
    switch self {
    case .integer(let v): return Int(v)
    case .real(let v): return v.isFinite ? Int(v) : nil
    default: return nil
    }
  }
  /// The value as a Double; NULL reads as NaN (SQLite stores NaN as NULL).
  var double: Double {
    switch self {
    case .integer(let v): return Double(v)
    case .real(let v): return v
    default: return .nan
    }
  }
  /// The value as text; nil for NULL and blobs.
  var string: String? {
    switch self {
    case .text(let s): return s
    case .integer(let v): return String(v)
    case .real(let v): return String(v)
    default: return nil
    }
  }
  /// The value's bytes; empty for non-blobs.
  var bytes: [UInt8] {
    if case .blob(let b) = self { return b }
    return []
  }
}

/// A prepared statement of one connection.
final class SQLiteStatement {
  private let statement: OpaquePointer
  private let database: SQLiteDatabase

  init(_ statement: OpaquePointer, database: SQLiteDatabase) {
    self.statement = statement
    self.database = database
  }

  deinit { sqlite3_finalize(statement) }

  /// Binds `values` to the parameters ?1, ?2, … in order.
  func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
    sqlite3_reset(statement)
    sqlite3_clear_bindings(statement)
    for (i, value) in values.enumerated() {
      let index = Int32(i + 1)
      let rc: Int32
      switch value {
      case .null: rc = sqlite3_bind_null(statement, index)
      case .integer(let v): rc = sqlite3_bind_int64(statement, index, v)
      case .real(let v): rc = v.isNaN ? sqlite3_bind_null(statement, index) : sqlite3_bind_double(statement, index, v)
      case .text(let s): rc = sqlite3_bind_text(statement, index, s, -1, csqlite_transient())
      case .blob(let b):
        rc = b.withUnsafeBytes { raw in
          sqlite3_bind_blob64(
            statement, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(raw.count), csqlite_transient()
          )
        }
      }
      guard rc == SQLITE_OK else { throw database.stepError(rc) }
    }
  }

  /// Steps to the end, collecting every row.
  func rows() throws(SQLiteError) -> [[SQLiteValue]] {
    var out: [[SQLiteValue]] = []
    while true {
      let rc = sqlite3_step(statement)
      if rc == SQLITE_DONE { break }
      guard rc == SQLITE_ROW else {
        let error = database.stepError(rc)
        sqlite3_reset(statement)
        throw error
      }
      out.append(currentRow())
    }
    sqlite3_reset(statement)
    return out
  }

  private func currentRow() -> [SQLiteValue] {
    (0..<sqlite3_column_count(statement)).map { column in
      switch sqlite3_column_type(statement, column) {
      case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
      case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
      case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, column)))
      case SQLITE_BLOB:
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let base = sqlite3_column_blob(statement, column) else { return .blob([]) }
        return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
      default: return .null
      }
    }
  }
}
