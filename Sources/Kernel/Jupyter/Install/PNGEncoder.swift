/// A minimal PNG writer for RGBA images: zlib "stored" (uncompressed) deflate blocks, so it
/// needs no compression library. Logos are tiny (≤ 64×64), so the size cost is a few KB.
enum PNGEncoder {
  /// Encodes `width × height` RGBA pixels (row-major, 4 bytes each).
  static func encode(width: Int, height: Int, rgba: [UInt8]) -> [UInt8] {
    precondition(rgba.count == width * height * 4, "pixel buffer size does not match")
    var raw: [UInt8] = []
    raw.reserveCapacity(height * (width * 4 + 1))
    for y in 0..<height {
      raw.append(0)  // filter: none
      raw.append(contentsOf: rgba[(y * width * 4)..<((y + 1) * width * 4)])
    }
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var ihdr: [UInt8] = []
    ihdr += bigEndian(UInt32(width))
    ihdr += bigEndian(UInt32(height))
    ihdr += [8, 6, 0, 0, 0]  // 8-bit depth, RGBA, deflate, adaptive filters, no interlace
    appendChunk("IHDR", ihdr, to: &png)
    appendChunk("IDAT", zlibStored(raw), to: &png)
    appendChunk("IEND", [], to: &png)
    return png
  }

  private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
    png += bigEndian(UInt32(data.count))
    let typed = Array(type.utf8) + data
    png += typed
    png += bigEndian(crc32(typed))
  }

  /// zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4).
  static func zlibStored(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x78, 0x01]
    var offset = 0
    repeat {
      let n = min(65_535, data.count - offset)
      let final: UInt8 = offset + n == data.count ? 1 : 0
      out.append(final)
      out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
      out += data[offset..<(offset + n)]
      offset += n
    } while offset < data.count
    out += bigEndian(adler32(data))
    return out
  }

  static func adler32(_ data: [UInt8]) -> UInt32 {
    var a: UInt32 = 1
    var b: UInt32 = 0
    for byte in data {
      a = (a + UInt32(byte)) % 65_521
      b = (b + a) % 65_521
    }
    return b << 16 | a
  }

  private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  static func crc32(_ data: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for byte in data { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }

  private static func bigEndian(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
  }
}
