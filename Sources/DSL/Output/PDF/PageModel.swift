/// What a measured block is, for pagination rules and for tests that inspect the page model.
enum PageBlockKind: Equatable {
  case titleBlock
  case heading(Int)
  case paragraph
  case text
  case listItem
  /// The "Measured in this session:" label above a findings list.
  case findingsLabel
  case finding
  case code
  case table
  /// Notes under a table.
  case tableNote
  case chart
}

/// A block measured for the page: a stack of indivisible slices (text lines, table rows, a
/// whole chart) with the rules for breaking it across pages. Heights are in points.
struct PageBlock: Equatable {
  var kind: PageBlockKind
  /// Space above the block; dropped at the top of a page.
  var spaceBefore: Double
  /// Height drawn above the slices on the block's first page (a table's title and header row).
  var head: Double = 0
  /// Height drawn above the slices on each later page (a table's repeated header row).
  var repeatHead: Double = 0
  /// The heights of the slices, top to bottom.
  var slices: [Double]
  /// The fewest slices that may stand at the foot of a page (orphans); the whole block when it
  /// must not be split.
  var minHead: Int
  /// The fewest slices that may open the next page (widows).
  var minTail: Int
  /// The block must share its page with the start of the next one (headings, labels).
  var keepWithNext: Bool = false

  /// A block that is never split (a heading, a chart, the title block).
  static func whole(_ kind: PageBlockKind, height: Double, spaceBefore: Double, keepWithNext: Bool = false) -> PageBlock
  {
    PageBlock(
      kind: kind, spaceBefore: spaceBefore, slices: [height], minHead: 1, minTail: 1, keepWithNext: keepWithNext)
  }

  /// The height of the smallest first piece the block can start a page foot with: its head and
  /// the first `minHead` slices, or all of them when the rest would be fewer than `minTail`.
  var firstPieceHeight: Double {
    let k = max(1, minHead)
    let n = slices.count - k >= minTail ? k : slices.count
    return head + slices.prefix(n).reduce(0, +)
  }
}

/// Where a piece of a block lies on a page.
struct PagePlacement: Equatable {
  /// The block's index in the document.
  var block: Int
  /// The slices placed here.
  var slices: Range<Int>
  /// Top of the piece, from the top of the page's content area.
  var y: Double
  /// Height of the piece (head or repeated head included).
  var height: Double
  /// Whether this piece continues the block from an earlier page (it draws the repeated head).
  var continued: Bool
}

/// The document laid out on pages of one content height.
struct PageModel: Equatable {
  var pages: [[PagePlacement]]

  /// Pages whose last piece is a block that must be kept with the next one (a stranded heading),
  /// as 0-based page indices; the document's last page is exempt only when it ends the document.
  func strandedPages(_ blocks: [PageBlock]) -> [Int] {
    pages.indices.filter { p in
      guard let last = pages[p].last else { return false }
      let isLastBlock = last.block == blocks.count - 1
      return blocks[last.block].keepWithNext && !isLastBlock
    }
  }
}

/// Places measured blocks on pages: blocks split only between slices and only where orphan and
/// widow limits allow; a block kept with the next moves to a new page together with the first
/// piece of what follows when both do not fit.
enum Paginator {
  static func paginate(_ blocks: [PageBlock], pageHeight: Double) -> PageModel {
    var pages: [[PagePlacement]] = [[]]
    var y = 0.0
    func newPage() {
      pages.append([])
      y = 0
    }
    var i = 0
    while i < blocks.count {
      let b = blocks[i]
      if b.keepWithNext, !pages[pages.count - 1].isEmpty {
        let need = b.spaceBefore + chainHeight(blocks, from: i)
        if y + need > pageHeight {
          newPage()
          continue
        }
      }
      var start = 0
      var first = true
      while start < b.slices.count {
        let empty = pages[pages.count - 1].isEmpty
        let gap = empty || !first ? 0 : b.spaceBefore
        let head = first ? b.head : b.repeatHead
        let remaining = b.slices.count - start
        var fit = 0
        var used = 0.0
        let room = pageHeight - y - gap - head
        while fit < remaining, used + b.slices[start + fit] <= room + 1e-6 {
          used += b.slices[start + fit]
          fit += 1
        }
        var n = fit
        if n < remaining {
          // A split must leave at least minTail slices for the next page and minHead here.
          if remaining - n < b.minTail { n = remaining - b.minTail }
          if n < b.minHead {
            if !empty {
              newPage()
              continue
            }
            // The rules cannot be met even on an empty page: place what fits, at least one slice.
            n = max(1, fit)
          }
        }
        let height = head + b.slices[start..<(start + n)].reduce(0, +)
        pages[pages.count - 1].append(
          PagePlacement(block: i, slices: start..<(start + n), y: y + gap, height: height, continued: !first))
        y += gap + height
        start += n
        first = false
        if start < b.slices.count { newPage() }
      }
      i += 1
    }
    if pages.count > 1, pages[pages.count - 1].isEmpty { pages.removeLast() }
    return PageModel(pages: pages)
  }

  /// The height of block `i` with every following block kept with it, up to the first piece of
  /// the block that ends the chain.
  static func chainHeight(_ blocks: [PageBlock], from i: Int) -> Double {
    var total = blocks[i].slices.reduce(blocks[i].head, +)
    var j = i + 1
    while j < blocks.count {
      let b = blocks[j]
      if b.keepWithNext {
        total += b.spaceBefore + b.slices.reduce(b.head, +)
        j += 1
      } else {
        total += b.spaceBefore + b.firstPieceHeight
        break
      }
    }
    return total
  }
}
