/// Reads what the CUDA compiler recorded per kernel in a CUBIN (an ELF64 file): the register
/// count (EIATTR_REGCOUNT in `.nv.info`) and the stack frame size (EIATTR_FRAME_SIZE), so a test
/// can tell without a GPU whether a kernel can be launched with the block size the trainer uses.
struct CUBINReader {
  /// Registers per thread, by kernel name.
  private(set) var registers: [String: Int] = [:]
  /// Stack frame bytes per thread, by function name (nonzero means spills or local arrays).
  private(set) var frameBytes: [String: Int] = [:]

  /// Parses the section headers, the symbol table and the `.nv.info` attribute records.
  init?(_ elf: [UInt8]) {
    func u16(_ o: Int) -> Int { o + 2 <= elf.count ? Int(elf[o]) | Int(elf[o + 1]) << 8 : 0 }
    func u32(_ o: Int) -> Int { o + 4 <= elf.count ? u16(o) | u16(o + 2) << 16 : 0 }
    func u64(_ o: Int) -> Int { u32(o) | u32(o + 4) << 32 }
    func string(_ o: Int) -> String {
      guard o < elf.count else { return "" }
      let end = elf[o...].firstIndex(of: 0) ?? elf.count
      return String(decoding: elf[o..<end], as: UTF8.self)
    }
    guard elf.count > 64, elf.prefix(4) == [0x7F, 0x45, 0x4C, 0x46], elf[4] == 2 else { return nil }
    let sectionTable = u64(0x28)
    let entrySize = u16(0x3A)
    let count = u16(0x3C)
    let namesIndex = u16(0x3E)
    struct Section { var name = 0, type = 0, offset = 0, size = 0, link = 0 }
    let sections = (0..<count).map { i -> Section in
      let h = sectionTable + i * entrySize
      return Section(name: u32(h), type: u32(h + 4), offset: u64(h + 0x18), size: u64(h + 0x20), link: u32(h + 0x28))
    }
    guard namesIndex < sections.count else { return nil }
    func sectionName(_ s: Section) -> String { string(sections[namesIndex].offset + s.name) }
    guard let symbolTable = sections.first(where: { $0.type == 2 }), symbolTable.link < sections.count
    else { return nil }
    let symbolNames = sections[symbolTable.link].offset
    let symbols = (0..<(symbolTable.size / 24)).map { string(symbolNames + u32(symbolTable.offset + $0 * 24)) }
    for section in sections where sectionName(section) == ".nv.info" {
      var o = section.offset
      let end = section.offset + section.size
      while o + 4 <= end {
        let format = elf[o]
        let attribute = elf[o + 1]
        let size = u16(o + 2)
        guard format == 0x04 else {  // EIFMT_SVAL carries a size; the other formats do not
          o += 4
          continue
        }
        if size >= 8 {
          let symbol = u32(o + 4)
          let value = u32(o + 8)
          let name = symbol < symbols.count ? symbols[symbol] : "#\(symbol)"
          if attribute == 0x2F { registers[name] = value }  // EIATTR_REGCOUNT
          if attribute == 0x11 { frameBytes[name] = value }  // EIATTR_FRAME_SIZE
        }
        o += 4 + size
      }
    }
  }
}
