/// A line of the report's title block, set by its own statement.
enum TitleLine: String, CaseIterable, Sendable {
  /// `title "…"`: the report's title (default "Training study report").
  case title
  /// `author "…"`: the author line.
  case author
  /// `course "…"`: the course line.
  case course

  /// The most characters a title-block line may have.
  static let maxLength = 300
}

/// A section of the report that the student's `text` can be attached to, in report order.
enum ReportPart: String, CaseIterable, Sendable {
  /// Right after the title block, before the environment.
  case intro
  /// The end of the environment section.
  case environment
  /// The end of the method section.
  case method
  /// The end of the list of runs.
  case runs
  /// The end of the GPU-evidence section.
  case gpu
  /// The end of P1 (parameters vs time and accuracy).
  case p1
  /// The end of P2 (δ² trend).
  case p2
  /// The end of P3 (gradient zeroing).
  case p3
  /// A "Conclusions" section before the per-epoch appendix.
  case conclusion

  /// The most characters one `text` may have.
  static let maxTextLength = 50_000

  /// Where the section's text appears in the report, in words.
  var placement: String {
    switch self {
    case .intro: return "right after the title block"
    case .environment: return "at the end of Environment"
    case .method: return "at the end of Method"
    case .runs: return "at the end of the list of runs"
    case .gpu: return "at the end of the GPU section"
    case .p1: return "at the end of P1"
    case .p2: return "at the end of P2"
    case .p3: return "at the end of P3"
    case .conclusion: return "under Conclusions, before the per-epoch appendix"
    }
  }
}

/// One plot chosen by `report plots=…`.
enum PlotRef: Sendable, Equatable {
  /// The plot with this number (1 = the session's first plot).
  case number(Int)
  /// The plot with this name (`plot test_acc as acc`).
  case name(String)
  /// Every plot of the session, in the order they were made.
  case all
}

/// How `plot grad_sq` aggregates δ² over an epoch's steps.
enum Aggregate: String, CaseIterable, Sendable {
  /// The mean over the epoch's steps.
  case mean
  /// The sum over the epoch's steps.
  case sum
}

/// How `plot` draws runs that differ only in their seed.
enum SeedDrawing: String, CaseIterable, Sendable {
  /// One line per seed group: the mean, with a shaded band of ± one standard deviation.
  case mean
  /// One line per run.
  case each
}
