/// The run store's tables and their migrations, one SQL script per schema version.
///
/// `PRAGMA user_version` holds the version; a store of version v is brought up to date by running
/// the scripts v+1 … latest in one transaction. `PRAGMA application_id` marks the file as a run
/// store, so another program's SQLite database is recognised and left alone.
enum StoreSchema {
  /// "NNDS" as a big-endian 32-bit integer.
  static let applicationID: Int32 = 0x4E4E_4453

  /// Script i creates schema version i + 1 from version i.
  static let migrations: [String] = [
    // Version 1: runs, their epoch records and their per-step series.
    """
    CREATE TABLE runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      statement TEXT NOT NULL,
      model TEXT NOT NULL,
      model_json TEXT NOT NULL,
      config_json TEXT NOT NULL,
      dataset TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'diverged', 'interrupted')),
      status_epoch INTEGER NOT NULL DEFAULT 0,
      status_step INTEGER NOT NULL DEFAULT 0,
      backend TEXT NOT NULL,
      device TEXT NOT NULL,
      notes_json TEXT NOT NULL,
      gpu_evidence_json TEXT,
      parameter_names_json TEXT NOT NULL,
      train_s REAL NOT NULL DEFAULT 0,
      total_s REAL NOT NULL DEFAULT 0,
      steps_per_s REAL NOT NULL DEFAULT 0,
      started_at REAL NOT NULL,
      ended_at REAL,
      origin TEXT NOT NULL,
      revision INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE epochs (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      epoch INTEGER NOT NULL,
      train_loss REAL,
      train_acc REAL,
      test_loss REAL,
      test_acc REAL,
      grad_sq_mean BLOB NOT NULL,
      grad_sq_sum BLOB NOT NULL,
      weight_norms BLOB NOT NULL,
      grad_norms BLOB NOT NULL,
      seconds REAL NOT NULL,
      steps INTEGER NOT NULL,
      PRIMARY KEY (run_id, epoch)
    );
    CREATE TABLE series (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      first_step INTEGER NOT NULL,
      steps INTEGER NOT NULL,
      loss BLOB NOT NULL,
      grad_sq BLOB NOT NULL,
      PRIMARY KEY (run_id, first_step)
    );
    """,
    // Version 2: the final parameters of each run, so `eval` works on stored runs.
    """
    CREATE TABLE weights (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      count INTEGER NOT NULL,
      data BLOB NOT NULL
    );
    """,
    // Version 3: the Slurm job arrays submitted from this store (job ids restart per cluster).
    """
    CREATE TABLE slurm_jobs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      job_id TEXT NOT NULL,
      cluster TEXT NOT NULL,
      spool TEXT NOT NULL,
      submitted_at REAL NOT NULL,
      runs_json TEXT NOT NULL,
      imported_json TEXT NOT NULL DEFAULT '[]',
      state TEXT NOT NULL,
      statement TEXT NOT NULL DEFAULT '',
      UNIQUE (cluster, job_id)
    );
    """,
  ]

  /// The schema version this kernel writes.
  static var latest: Int { migrations.count }
}
