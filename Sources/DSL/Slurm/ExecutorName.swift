/// Where `train` and `sweep` run their runs: in this process, or as a Slurm job array.
enum ExecutorName: String, CaseIterable, Sendable, Codable {
  /// In the kernel's own process (the default).
  case local
  /// As one Slurm job array, submitted through `sbatch`.
  case slurm
}
