/// Which run store a session uses, as `set store=` says.
enum StoreSetting: Sendable, Equatable {
  /// `$NNDSL_STORE` if set, else `.nndsl/runs.db` in the notebook's or script's directory.
  case automatic
  /// A database file (relative paths are taken from the notebook's or script's directory; a
  /// directory means `runs.db` inside it).
  case path(String)
  /// No store: runs are kept in memory only.
  case off
}
