import CZlib
import Foundation

/// Reads and writes IDX files (the MNIST format), gzip-compressed or plain, through zlib.
public enum IDXFile {
  /// Reads an IDX file of unsigned bytes (type 0x08): its dimensions and its data.
  public static func read(path: String) throws -> (dimensions: [Int], bytes: [UInt8]) {
    let (_, dimensions, storage) = try readStorage(path: path)
    return (dimensions, storage.array)
  }

  /// Writes an IDX file of unsigned bytes, gzip-compressed when `gzip` is true (for fixtures).
  public static func write(path: String, dimensions: [Int], bytes: [UInt8], gzip: Bool) throws {
    let expected = dimensions.reduce(1, *)
    guard dimensions.count < 256, dimensions.allSatisfy({ $0 >= 0 && $0 <= Int(UInt32.max) }),
      expected == bytes.count
    else {
      throw DataError.invalid(
        "dimensions \(dimensions) do not match \(bytes.count) bytes for \(path)")
    }
    var data: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
    for d in dimensions {
      let v = UInt32(d)
      data += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
    }
    data += bytes
    guard let file = gzopen(path, gzip ? "wb" : "wbT") else {
      throw DataError.unreadable(path: path, reason: "cannot open for writing")
    }
    var offset = 0
    while offset < data.count {
      let chunk = min(data.count - offset, 1 << 30)
      let written = data.withUnsafeBytes { gzwrite(file, $0.baseAddress! + offset, UInt32(chunk)) }
      if written <= 0 {
        gzclose(file)
        throw DataError.unreadable(path: path, reason: "write failed")
      }
      offset += Int(written)
    }
    if gzclose(file) != Z_OK { throw DataError.unreadable(path: path, reason: "close failed") }
  }

  /// Reads the header and data into pinned storage; returns (magic, dimensions, data).
  static func readStorage(path: String) throws -> (
    magic: UInt32, dimensions: [Int], data: ByteStorage
  ) {
    guard FileManager.default.fileExists(atPath: path) else {
      throw DataError.unreadable(path: path, reason: "no such file")
    }
    guard let file = gzopen(path, "rb") else {
      throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    defer { gzclose(file) }
    gzbuffer(file, 1 << 17)

    func readExactly(_ buffer: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
      var done = 0
      while done < count {
        let chunk = UInt32(min(count - done, 1 << 30))
        let got = gzread(file, buffer + done, chunk)
        if got < 0 {
          var code: Int32 = 0
          let message = gzerror(file, &code).map { String(cString: $0) } ?? "zlib error"
          if code == Z_BUF_ERROR { return done }  // stream ended early: truncated
          throw DataError.corrupt(path: path, reason: message)
        }
        if got == 0 {
          var code: Int32 = 0
          let message = gzerror(file, &code).map { String(cString: $0) } ?? ""
          if code != Z_OK && code != Z_BUF_ERROR {
            throw DataError.corrupt(path: path, reason: message)
          }
          return done
        }
        done += Int(got)
      }
      return done
    }

    var header = [UInt8](repeating: 0, count: 4)
    let headerGot = try header.withUnsafeMutableBytes { try readExactly($0.baseAddress!, 4) }
    guard headerGot == 4 else {
      throw DataError.truncated(path: path, expectedBytes: 4, gotBytes: headerGot)
    }
    let magic = header.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    guard header[0] == 0, header[1] == 0, header[2] == 0x08, header[3] >= 1 else {
      throw DataError.badMagic(path: path, found: magic, expected: 0x0800 | UInt32(header[3]))
    }
    let rank = Int(header[3])
    var dimBytes = [UInt8](repeating: 0, count: 4 * rank)
    let dimGot = try dimBytes.withUnsafeMutableBytes { try readExactly($0.baseAddress!, 4 * rank) }
    guard dimGot == 4 * rank else {
      throw DataError.truncated(path: path, expectedBytes: 4 * rank, gotBytes: dimGot)
    }
    var dimensions: [Int] = []
    var total = 1
    for i in 0..<rank {
      let d = dimBytes[4 * i..<4 * i + 4].reduce(0) { $0 << 8 | Int($1) }
      dimensions.append(d)
      let (product, overflow) = total.multipliedReportingOverflow(by: d)
      guard !overflow, product <= 1 << 34 else {
        throw DataError.badDimensions(
          path: path, found: dimensions, expected: "a size below 16 GiB")
      }
      total = product
    }
    let storage = ByteStorage(count: total)
    let got = try readExactly(storage.pointer, total)
    guard got == total else {
      throw DataError.truncated(path: path, expectedBytes: total, gotBytes: got)
    }
    var extra: UInt8 = 0
    if try readExactly(&extra, 1) != 0 {
      throw DataError.trailingData(path: path, expectedBytes: total)
    }
    return (magic, dimensions, storage)
  }
}
