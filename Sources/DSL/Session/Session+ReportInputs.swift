import Foundation
import NN

/// A plot the session made: its chart as it was drawn, and where the report puts it.
struct MadePlot {
  /// The name given with `as`, if any.
  var name: String?
  /// The statement's arguments.
  var args: PlotArgs
  /// The runs it drew.
  var runs: [String]
  /// The chart as drawn.
  var chart: Chart
  /// The report section it belongs to.
  var part: ReportPart
}

extension Session {
  /// The names of the session's named plots, in plot order.
  public var plotNames: [String] { plots.compactMap(\.name) }

  /// Keeps a drawn plot; a plot with a name already used replaces that plot and keeps its number.
  func recordPlot(_ args: PlotArgs, chart: Chart, runs selected: [RunRecord]) {
    let made = MadePlot(
      name: args.name, args: args, runs: selected.map(\.name), chart: chart,
      part: reportPart(of: args.metric, runs: selected))
    if let name = args.name, let k = plots.firstIndex(where: { $0.name == name }) {
      plots[k] = made
    } else {
      plots.append(made)
    }
  }

  /// The section a plot belongs to: P3 for gradient norms or runs without gradient zeroing,
  /// P2 for δ², P1 for everything else.
  func reportPart(of metric: Metric, runs selected: [RunRecord]) -> ReportPart {
    switch metric {
    case .gradNorm: return .p3
    case _ where selected.contains(where: { !$0.config.zeroGrad }): return .p3
    case .gradSq: return .p2
    case .trainLoss, .testLoss, .trainAcc, .testAcc, .loss, .accuracy, .weightNorm, .epochTime, .times:
      return .p1
    }
  }

  /// `plots`: one line per plot made so far.
  func plotsTable() -> Table {
    var g = Table(
      title: "Plots",
      columns: [
        ("plot", true), ("name", false), ("metric", false), ("runs", false), ("report section", false),
      ])
    for (k, p) in plots.enumerated() {
      g.add([
        .integer(k + 1), p.name.map { .text($0) } ?? .missing, .text(p.args.metric.rawValue),
        .text(p.runs.joined(separator: ", ")), .text(p.part.rawValue),
      ])
    }
    g.footnotes.append(
      plots.isEmpty
        ? "no plots yet: `plot METRIC as NAME` makes one"
        : "report plots=… takes these numbers and names; without it the report draws its standard charts")
    return g
  }

  /// The plots `report plots=…` names, in the order given, each once.
  func chosenPlots(_ refs: [PlotRef]) throws -> [MadePlot] {
    var indices: [Int] = []
    for ref in refs {
      switch ref {
      case .all: indices += plots.indices
      case .number(let k):
        guard k >= 1, k <= plots.count else {
          throw SessionError.runtime(
            "there is no plot \(k): the session has \(plots.count) plots",
            hint: "`plots` lists them")
        }
        indices.append(k - 1)
      case .name(let name):
        guard let k = plots.firstIndex(where: { $0.name == name }) else {
          throw SessionError.runtime("unknown plot '\(name)'", hint: "`plots` lists the plots and their names")
        }
        indices.append(k)
      }
    }
    var seen = Set<Int>()
    return indices.filter { seen.insert($0).inserted }.map { plots[$0] }
  }

  /// `title`, `author`, `course`: sets (or, when empty, clears) a title-block line.
  func setTitleLine(_ line: TitleLine, _ text: String, _ ctx: RunContext) {
    let value = text.trimmingCharacters(in: .whitespaces)
    if value.isEmpty {
      titleLines[line] = nil
      ctx.emit(
        .text(
          line == .title ? "report title: the default (\(Session.defaultTitle))\n" : "report \(line.rawValue): none\n"))
    } else {
      titleLines[line] = value
      ctx.emit(.text("report \(line.rawValue): \(value)\n"))
    }
  }

  /// `text`: sets (or, when empty, removes) the student's words of a report section.
  func setText(_ part: ReportPart, _ text: String, _ ctx: RunContext) {
    let replaced = reportTexts[part] != nil
    if text.allSatisfy(\.isWhitespace) {
      reportTexts[part] = nil
      ctx.emit(
        .text(
          replaced
            ? "removed the text of report section \(part.rawValue)\n" : "report section \(part.rawValue) has no text\n")
      )
      return
    }
    reportTexts[part] = text
    let paragraphs = Session.paragraphs(text).count
    ctx.emit(
      .text(
        "\(replaced ? "replaced" : "set") the text of report section \(part.rawValue) (\(part.placement)): "
          + "\(text.count) characters, \(paragraphs) paragraph\(paragraphs == 1 ? "" : "s")\n"))
  }

  /// The title used when `title` was not given.
  static let defaultTitle = "Training study report"

  /// A text's paragraphs: separated by blank lines, trimmed, empty ones dropped.
  static func paragraphs(_ text: String) -> [String] {
    var out: [String] = []
    var current: [Substring] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.allSatisfy(\.isWhitespace) {
        if !current.isEmpty { out.append(current.joined(separator: "\n")) }
        current = []
      } else {
        current.append(line)
      }
    }
    if !current.isEmpty { out.append(current.joined(separator: "\n")) }
    return out
  }
}
