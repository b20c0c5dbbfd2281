/// Plain text, HTML, CSV and JSON forms of a `Table`.
enum TableRenderers {
  /// Aligned columns without box drawing: title, header, a dashed rule, rows, footnotes.
  /// Multi-line cell text is flattened to one line; trailing spaces are trimmed.
  static func plainText(_ table: Table) -> String {
    let headers = table.columns.map { oneLine($0.header) }
    let rows = table.normalizedRows.map { $0.map { oneLine($0.displayText) } }
    var widths = headers.map { DisplayWidth.of($0) }
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
    }
    var lines: [String] = []
    if let title = table.title, !title.isEmpty { lines.append(oneLine(title)) }
    if !table.columns.isEmpty {
      lines.append(line(headers, widths, table.columns.map(\.alignment)))
      lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
      for row in rows { lines.append(line(row, widths, table.columns.map(\.alignment))) }
    }
    if rows.isEmpty { lines.append("(no rows)") }
    if !table.footnotes.isEmpty {
      lines.append("")
      lines.append(contentsOf: table.footnotes.map { oneLine($0) })
    }
    return lines.joined(separator: "\n")
  }

  private static func line(_ cells: [String], _ widths: [Int], _ aligns: [Table.Alignment])
    -> String
  {
    var parts: [String] = []
    for (i, cell) in cells.enumerated() {
      parts.append(DisplayWidth.pad(cell, to: widths[i], aligns[i]))
    }
    var s = parts.joined(separator: "  ")
    while s.hasSuffix(" ") { s.removeLast() }
    return s
  }

  private static func oneLine(_ s: String) -> String {
    String(s.map { $0.isNewline || $0 == "\t" ? " " : $0 })
  }

  /// A self-contained `<table>` that is also well-formed XML. Only layout, borders and a
  /// translucent grey rule are styled (no text or background colour), so it inherits the
  /// notebook theme and reads on light and dark backgrounds alike.
  static func html(_ table: Table) -> String {
    let esc = TextEscaping.xml
    var out = "<table style=\"border-collapse:collapse;font-variant-numeric:tabular-nums;"
    out += "margin:0.5em 0\">\n"
    if let title = table.title, !title.isEmpty {
      out += "<caption style=\"text-align:left;font-weight:bold;padding:0.2em 0\">"
      out += esc(title) + "</caption>\n"
    }
    out += "<thead><tr>"
    for col in table.columns {
      out += "<th style=\"" + cellStyle(col.alignment)
      out += "border-bottom:1px solid rgba(128,128,128,0.6)\">" + esc(col.name)
      if let unit = col.unit, !unit.isEmpty {
        out += " <span style=\"font-weight:normal;opacity:0.7\">(" + esc(unit) + ")</span>"
      }
      out += "</th>"
    }
    out += "</tr></thead>\n<tbody>\n"
    for row in table.normalizedRows {
      out += "<tr>"
      for (i, cell) in row.enumerated() {
        out += "<td style=\"" + cellStyle(table.columns[i].alignment)
        out += "border-bottom:1px solid rgba(128,128,128,0.25)\""
        if case .missing = cell { out += " title=\"no value\"" }
        out += ">" + esc(cell.displayText) + "</td>"
      }
      out += "</tr>\n"
    }
    out += "</tbody>\n"
    if !table.footnotes.isEmpty {
      out += "<tfoot>"
      for note in table.footnotes {
        out += "<tr><td colspan=\"\(max(1, table.columns.count))\" "
        out += "style=\"text-align:left;font-size:0.85em;opacity:0.8;padding:0.2em 0.5em\">"
        out += esc(note) + "</td></tr>"
      }
      out += "</tfoot>\n"
    }
    out += "</table>"
    return out
  }

  private static func cellStyle(_ alignment: Table.Alignment) -> String {
    let align: String
    switch alignment {
    case .left: align = "left"
    case .right: align = "right"
    case .center: align = "center"
    }
    // Numbers (right-aligned) never wrap: 3.453e-3 must not break at its minus sign.
    return "text-align:\(align);padding:0.2em 0.6em;" + (alignment == .right ? "white-space:nowrap;" : "")
  }

  /// RFC 4180 CSV: a header row (column headers with units), then one record per row, CRLF line
  /// ends. Numbers are written at full precision; missing cells are empty.
  static func csv(_ table: Table) -> String {
    var records = [table.columns.map { TextEscaping.csvField($0.header) }.joined(separator: ",")]
    for row in table.normalizedRows {
      records.append(row.map { TextEscaping.csvField($0.machineText) }.joined(separator: ","))
    }
    return records.joined(separator: "\r\n") + "\r\n"
  }

  /// A JSON object: title, columns (name, unit, align), rows (numbers raw; missing, NaN and
  /// Inf as null), footnotes.
  static func json(_ table: Table) -> JSONValue {
    .keyed([
      "title": .optionalString(table.title),
      "columns": .array(
        table.columns.map { col in
          .keyed(["name": .string(col.name), "unit": .optionalString(col.unit), "align": .string("\(col.alignment)")])
        }),
      "rows": .array(table.normalizedRows.map { row in .array(row.map(jsonCell)) }),
      "footnotes": .array(table.footnotes.map { .string($0) }),
    ])
  }

  private static func jsonCell(_ cell: Table.Cell) -> JSONValue {
    switch cell {
    case .text(let s): return .string(s)
    case .integer(let n): return .integer(n)
    case .missing: return .null
    case .number(let x, _): return .double(x)
    }
  }
}
