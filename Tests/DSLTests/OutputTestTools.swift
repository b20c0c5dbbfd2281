import CZlib
import Foundation
import Testing

/// Helpers for the output tests: external tools, golden files, and a minimal PNG decoder.
enum OutputTestTools {
  struct ToolMissing: Error, CustomStringConvertible {
    var description: String
  }

  /// The absolute path of `tool` on PATH; records an issue naming the Debian package and
  /// throws when it is missing (the test fails, it never skips).
  static func require(
    _ tool: String, package: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(tool)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    let message =
      "`\(tool)` is not installed: install the Debian package \(package) "
      + "(apt-get install \(package))"
    Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    throw ToolMissing(description: message)
  }

  /// Runs `tool` with `arguments`; returns its exit status and stderr.
  static func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let errPipe = Pipe()
    process.standardError = errPipe
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let err = errPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: err, as: UTF8.self))
  }

  /// A fresh temporary directory.
  static func tempDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("dsl-output-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Checks `text` with `xmllint --noout` (XML, or HTML with `html: true`); returns the
  /// problems xmllint reported, empty when well-formed.
  static func xmllint(
    _ text: String, html: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> String {
    let tool = try require("xmllint", package: "libxml2-utils", sourceLocation: sourceLocation)
    let dir = try tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent(html ? "t.html" : "t.xml")
    try Data(text.utf8).write(to: file)
    let result = try run(tool, (html ? ["--html"] : []) + ["--noout", file.path])
    return result.status == 0 && result.stderr.isEmpty
      ? "" : "status \(result.status): \(result.stderr)"
  }

  /// Rasterises `svg` with `rsvg-convert` and decodes the PNG.
  static func rasterise(
    _ svg: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> DecodedImage {
    let tool = try require("rsvg-convert", package: "librsvg2-bin", sourceLocation: sourceLocation)
    let dir = try tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let input = dir.appendingPathComponent("chart.svg")
    let output = dir.appendingPathComponent("chart.png")
    try Data(svg.utf8).write(to: input)
    let result = try run(tool, ["-f", "png", "-o", output.path, input.path])
    guard result.status == 0 else {
      throw ToolMissing(description: "rsvg-convert failed (\(result.status)): \(result.stderr)")
    }
    return try DecodedImage(png: Data(contentsOf: output))
  }

  // MARK: - Golden files

  /// `Tests/DSLTests/Golden`, found from this file's path.
  static let goldenDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("Golden")

  /// Compares `actual` with the golden file `name`. With `UPDATE_GOLDEN=1` in the environment
  /// the file is (re)written instead, and the test passes:
  ///   UPDATE_GOLDEN=1 swift test --filter DSLTests.OutputGolden
  static func checkGolden(
    _ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = goldenDirectory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
      try FileManager.default.createDirectory(
        at: goldenDirectory, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
      return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
      let message =
        "golden file \(name) is missing; run UPDATE_GOLDEN=1 swift test --filter DSLTests.OutputGolden"
      Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
      return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
      let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
      let line = Array(zip(e, a)).firstIndex(where: { $0.0 != $0.1 }) ?? min(e.count, a.count)
      let want = line < e.count ? String(e[line]) : "<end>"
      let got = line < a.count ? String(a[line]) : "<end>"
      let message =
        "\(name) differs from its golden file at line \(line + 1):\n  golden: \(want)\n"
        + "  actual: \(got)\n(if the change is intended: "
        + "UPDATE_GOLDEN=1 swift test --filter DSLTests.OutputGolden)"
      Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
  }
}

/// An 8-bit RGB/RGBA non-interlaced PNG decoded to pixels (what rsvg-convert writes).
struct DecodedImage {
  struct Bad: Error, CustomStringConvertible { var description: String }

  var width = 0
  var height = 0
  /// RGBA, 4 bytes per pixel, row-major.
  var pixels: [UInt8] = []

  init(png: Data) throws {
    let bytes = [UInt8](png)
    guard bytes.count > 8, bytes[0..<8] == [137, 80, 78, 71, 13, 10, 26, 10] else {
      throw Bad(description: "not a PNG")
    }
    var pos = 8
    var idat: [UInt8] = []
    var colorType = 0
    var depth = 0
    var interlace = 0
    func u32(_ at: Int) -> Int {
      Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
    }
    while pos + 8 <= bytes.count {
      let length = u32(pos)
      let type = String(decoding: bytes[(pos + 4)..<(pos + 8)], as: UTF8.self)
      let body = (pos + 8)..<min(bytes.count, pos + 8 + length)
      switch type {
      case "IHDR":
        width = u32(body.lowerBound)
        height = u32(body.lowerBound + 4)
        depth = Int(bytes[body.lowerBound + 8])
        colorType = Int(bytes[body.lowerBound + 9])
        interlace = Int(bytes[body.lowerBound + 12])
      case "IDAT": idat += bytes[body]
      default: break
      }
      pos += 12 + length
    }
    guard depth == 8, colorType == 6 || colorType == 2, interlace == 0, width > 0, height > 0 else {
      throw Bad(description: "unsupported PNG (depth \(depth), colour type \(colorType))")
    }
    let channels = colorType == 6 ? 4 : 3
    let rowBytes = width * channels
    var raw = [UInt8](repeating: 0, count: height * (rowBytes + 1))
    var rawLength = uLongf(raw.count)
    let status = raw.withUnsafeMutableBufferPointer { out in
      idat.withUnsafeBufferPointer { input in
        uncompress(out.baseAddress, &rawLength, input.baseAddress, uLong(input.count))
      }
    }
    guard status == Z_OK, Int(rawLength) == raw.count else {
      throw Bad(description: "zlib inflate failed (\(status))")
    }
    var rows = [UInt8](repeating: 0, count: height * rowBytes)
    for y in 0..<height {
      let filter = raw[y * (rowBytes + 1)]
      let src = y * (rowBytes + 1) + 1
      let dst = y * rowBytes
      for i in 0..<rowBytes {
        let x = raw[src + i]
        let a = i >= channels ? Int(rows[dst + i - channels]) : 0
        let b = y > 0 ? Int(rows[dst - rowBytes + i]) : 0
        let c = (i >= channels && y > 0) ? Int(rows[dst - rowBytes + i - channels]) : 0
        let predictor: Int
        switch filter {
        case 0: predictor = 0
        case 1: predictor = a
        case 2: predictor = b
        case 3: predictor = (a + b) / 2
        case 4:
          let p = a + b - c
          let pa = abs(p - a)
          let pb = abs(p - b)
          let pc = abs(p - c)
          predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
        default: throw Bad(description: "bad PNG filter \(filter)")
        }
        rows[dst + i] = UInt8((Int(x) + predictor) & 0xFF)
      }
    }
    if channels == 4 {
      pixels = rows
    } else {
      pixels.reserveCapacity(width * height * 4)
      for p in stride(from: 0, to: rows.count, by: 3) {
        pixels += [rows[p], rows[p + 1], rows[p + 2], 255]
      }
    }
  }

  /// The pixel at (x, y) as RGBA.
  func pixel(_ x: Int, _ y: Int) -> (r: Int, g: Int, b: Int, a: Int) {
    let i = (y * width + x) * 4
    return (Int(pixels[i]), Int(pixels[i + 1]), Int(pixels[i + 2]), Int(pixels[i + 3]))
  }

  /// The number of distinct RGBA values.
  var distinctColours: Int {
    var seen = Set<UInt32>()
    for p in stride(from: 0, to: pixels.count, by: 4) {
      seen.insert(
        UInt32(pixels[p]) << 24 | UInt32(pixels[p + 1]) << 16 | UInt32(pixels[p + 2]) << 8
          | UInt32(pixels[p + 3]))
    }
    return seen.count
  }

  /// The fraction of opaque pixels that differ from the most common colour (the background).
  var inkFraction: Double {
    var counts: [UInt32: Int] = [:]
    for p in stride(from: 0, to: pixels.count, by: 4) where pixels[p + 3] > 0 {
      let key = UInt32(pixels[p]) << 16 | UInt32(pixels[p + 1]) << 8 | UInt32(pixels[p + 2])
      counts[key, default: 0] += 1
    }
    let total = counts.values.reduce(0, +)
    guard total > 0, let background = counts.values.max() else { return 0 }
    return Double(total - background) / Double(total)
  }

  /// The number of pixels within `tolerance` (per channel) of the colour `hex` ("#0072B2").
  func count(near hex: String, tolerance: Int = 24) -> Int {
    let v = Int(hex.dropFirst(), radix: 16) ?? 0
    let (r, g, b) = (v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF)
    var n = 0
    for p in stride(from: 0, to: pixels.count, by: 4) where pixels[p + 3] > 200 {
      if abs(Int(pixels[p]) - r) <= tolerance && abs(Int(pixels[p + 1]) - g) <= tolerance
        && abs(Int(pixels[p + 2]) - b) <= tolerance
      {
        n += 1
      }
    }
    return n
  }
}
