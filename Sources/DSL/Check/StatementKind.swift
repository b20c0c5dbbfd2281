/// The statements of the language, one case per `HelpCatalog.statements` entry; the raw value is
/// the keyword.
///
/// `Checker` dispatches over it with an exhaustive switch, so a case without a check function does
/// not compile, and a test checks that every catalog entry has a case and every case an entry.
/// Adding a statement: its `HelpCatalog` entry, its case here, its check function.
enum StatementKind: String, CaseIterable, Sendable {
  case load, model, set, train, sweep, eval, runs, drop, rename, show, compare, plot, plots
  case device, env, help, report, title, author, course, text, export, print, get, clear
  /// `exit` and `quit` are two keywords for one command.
  case exit, quit
  /// The Slurm executor's statements (Checker+Cluster.swift).
  case slurm, jobs, attach, resubmit
}
