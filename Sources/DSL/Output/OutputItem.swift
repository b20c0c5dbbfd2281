/// One piece of output produced by a statement, independent of Jupyter or the terminal.
///
/// The kernel turns items into `stream`, `display_data`, `execute_result`, `clear_output` and
/// pager payloads; script mode prints them and writes charts and tables to files.
public enum OutputItem: Sendable, Equatable {
  /// Standard output text.
  case text(String)
  /// Standard error text (warnings, non-fatal problems).
  case stderr(String)
  /// A table to display.
  case table(Table)
  /// A chart to display.
  case chart(Chart)
  /// The cell's result value (Jupyter `execute_result`).
  case value(OutputValue)
  /// Clear the output shown so far.
  case clear
  /// Help text: Jupyter shows it in the pager; script mode prints it.
  case page(String)
  /// A report file was written: Jupyter shows a link and a summary; script mode prints the path.
  case report(ReportSummary)
}

/// The result value of a cell.
public enum OutputValue: Sendable, Equatable {
  /// A floating-point number.
  case number(Double)
  /// An integer.
  case integer(Int)
  /// A string.
  case string(String)
  /// A table.
  case table(Table)
}
