/// A session's Slurm executor: its default, its options and (without a run store) its jobs.
final class ClusterLink {
  /// Where train and sweep run when they do not say (`set executor=`).
  var executor = ExecutorName.local
  /// The options of the `slurm` statement, merged.
  var options = SlurmOptions()
  /// Jobs submitted while no run store was in use (kept for this session only).
  var memoryJobs: [SlurmJobEntry] = []
  /// How often the session looks at a job in flight, in seconds.
  var pollInterval = 0.5
  /// How long a job no Slurm tool knows is waited for before it counts as ended (a job just
  /// submitted may not show yet), in seconds.
  var unknownGrace = 10.0
}
