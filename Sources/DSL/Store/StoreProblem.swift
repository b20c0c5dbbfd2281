/// Why a run store cannot be used (or one write failed): each names the file and what to do.
enum StoreProblem: Error, Equatable {
  /// The directory for the store cannot be created (a file is in the way, no permission, …).
  case cannotCreateDirectory(path: String, reason: String)
  /// The path is a directory, not a file.
  case isDirectory(path: String)
  /// The file exists but is not an SQLite database (other data, or damaged beyond its header).
  case notSQLite(path: String)
  /// An SQLite database, but not one this kernel made (another program's tables).
  case foreignDatabase(path: String)
  /// SQLite reports the database as damaged.
  case corrupt(path: String, detail: String)
  /// The file or its directory cannot be written.
  case readOnly(path: String, detail: String)
  /// Another program holds a lock on the database longer than the busy timeout.
  case locked(path: String, seconds: Double)
  /// The store was written by a newer version of the kernel.
  case newerSchema(path: String, found: Int, known: Int)
  /// Any other SQLite or file-system failure.
  case failed(path: String, detail: String)
  /// Another session is training this run now, so it cannot be replaced, dropped or renamed.
  case runInUse(path: String, name: String, origin: String)
  /// `rename` to a name another session took meanwhile.
  case nameTaken(path: String, name: String)

  /// Whether the store itself is unusable (rather than one request being refused).
  var isStoreFailure: Bool {
    switch self {
    case .runInUse, .nameTaken: return false
    case .cannotCreateDirectory, .isDirectory, .notSQLite, .foreignDatabase, .corrupt, .readOnly, .locked,
      .newerSchema, .failed:
      return true
    }
  }

  /// The store's file.
  var path: String {
    switch self {
    case .cannotCreateDirectory(let p, _), .isDirectory(let p), .notSQLite(let p), .foreignDatabase(let p),
      .corrupt(let p, _), .readOnly(let p, _), .locked(let p, _), .newerSchema(let p, _, _), .failed(let p, _),
      .runInUse(let p, _, _), .nameTaken(let p, _):
      return p
    }
  }

  /// What is wrong, naming the file.
  var message: String {
    switch self {
    case .cannotCreateDirectory(let p, let reason):
      return "cannot create the directory of the run store \(p): \(reason)"
    case .isDirectory(let p):
      return "the run store \(p) is a directory, not a database file"
    case .notSQLite(let p):
      return "the run store \(p) is not an SQLite database (it holds other data, or its header is damaged)"
    case .foreignDatabase(let p):
      return "\(p) is an SQLite database of another program, not an NN DSL run store"
    case .corrupt(let p, let detail):
      return "the run store \(p) is damaged (\(detail))"
    case .readOnly(let p, let detail):
      return "the run store \(p) cannot be written (\(detail))"
    case .locked(let p, let seconds):
      return "the run store \(p) is locked by another program for more than \(Int(seconds.rounded())) s"
    case .newerSchema(let p, let found, let known):
      return "the run store \(p) has schema version \(found), written by a newer NN DSL kernel "
        + "(this one knows up to version \(known))"
    case .failed(let p, let detail):
      return "the run store \(p) failed: \(detail)"
    case .runInUse(let p, let name, let origin):
      return "run '\(name)' is being trained right now by another session (\(origin)) in the run store \(p)"
    case .nameTaken(let p, let name):
      return "a run named '\(name)' already exists in the run store \(p)"
    }
  }

  /// What the user can do about it.
  var advice: String {
    let elsewhere = "or use another store with set store=\"PATH\" (or NNDSL_STORE=PATH)"
    switch self {
    case .cannotCreateDirectory, .readOnly:
      return "make the directory writable, \(elsewhere)"
    case .isDirectory, .notSQLite, .foreignDatabase:
      return "it is left untouched: move it away or choose another path, \(elsewhere)"
    case .corrupt:
      let text =
        "it is left untouched: keep a copy, then try `sqlite3 FILE .recover` "
        + "or move it away to start a new store, \(elsewhere)"
      return text.replacingOccurrences(of: "FILE", with: path)
    case .locked:
      return "close the program that holds it (an sqlite3 shell, a database browser), then run the statement again"
    case .newerSchema:
      return "it is left untouched: use the newer kernel to read it, \(elsewhere)"
    case .failed:
      return "check the disk (space, permissions), \(elsewhere)"
    case .runInUse:
      return "wait until it ends, or choose another name with 'as NAME'"
    case .nameTaken:
      return "choose another name, or drop that run first"
    }
  }
}
