/// Terminal column widths of strings, so that plain-text tables line up with CJK text, emoji
/// and combining marks.
enum DisplayWidth {
  /// The number of terminal columns `s` occupies.
  static func of(_ s: String) -> Int {
    var width = 0
    for ch in s { width += of(ch) }
    return width
  }

  /// Columns for one grapheme cluster: 0 for controls, 2 for wide (East Asian wide/fullwidth,
  /// emoji presentation), 1 otherwise; combining marks ride on their base character.
  static func of(_ ch: Character) -> Int {
    guard let first = ch.unicodeScalars.first else { return 0 }
    let v = first.value
    if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
    if first.properties.generalCategory == .nonspacingMark
      || first.properties.generalCategory == .enclosingMark
      || first.properties.generalCategory == .format
    {
      return 0
    }
    if isWide(v) || first.properties.isEmojiPresentation { return 2 }
    if ch.unicodeScalars.contains(where: { $0.value == 0xFE0F }) && first.properties.isEmoji {
      return 2
    }
    return 1
  }

  /// East Asian Wide and Fullwidth ranges (Unicode UAX #11, the blocks that matter in practice).
  private static func isWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      return true
    default:
      return false
    }
  }

  /// `s` padded with spaces to `width` columns, on the side `alignment` asks for.
  static func pad(_ s: String, to width: Int, _ alignment: Table.Alignment) -> String {
    let gap = max(0, width - of(s))
    switch alignment {
    case .left: return s + String(repeating: " ", count: gap)
    case .right: return String(repeating: " ", count: gap) + s
    case .center:
      let left = gap / 2
      return String(repeating: " ", count: left) + s + String(repeating: " ", count: gap - left)
    }
  }
}
