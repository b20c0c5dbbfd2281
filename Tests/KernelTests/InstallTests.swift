import Foundation
import Testing

@testable import Kernel

@Suite struct PNGEncoderTests {
  @Test func checksumsMatchKnownValues() {
    #expect(PNGEncoder.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    #expect(PNGEncoder.crc32(Array("IEND".utf8)) == 0xAE42_6082)
    #expect(PNGEncoder.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
  }

  @Test func storedZlibBlocksSplitAt64K() {
    let data = [UInt8](repeating: 7, count: 70_000)
    let z = PNGEncoder.zlibStored(data)
    #expect(z.count == 2 + (5 + 65_535) + (5 + 4_465) + 4)
    #expect(z[2] == 0 && z[2 + 5 + 65_535] == 1)
  }

  @Test(arguments: [32, 64])
  func logoPNGHasHeaderAndSize(size: Int) {
    let png = KernelLogo.png(size: size)
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(Array(png[12..<16]) == Array("IHDR".utf8))
    #expect(Int(png[18]) << 8 | Int(png[19]) == size)
    #expect(Array(png.suffix(8)) == [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    let pixels = KernelLogo.rgba(size: size)
    #expect(pixels[3] == 0, "corner is transparent")
    let centre = (size / 2 * size + size / 2) * 4
    #expect(pixels[centre + 3] == 255, "centre is opaque")
  }

  @Test func svgIsWellFormedEnough() {
    let svg = KernelLogo.svg
    #expect(svg.hasPrefix("<svg"))
    #expect(svg.contains("</svg>"))
    #expect(svg.components(separatedBy: "<circle").count - 1 == 6)
  }
}

@Suite struct KernelSpecInstallerTests {
  func installer(_ env: [String: String]) -> KernelSpecInstaller {
    KernelSpecInstaller(name: "nndsl", displayName: "NN DSL", executable: "/opt/k/kernel", environment: env)
  }

  @Test func locations() throws {
    #expect(try installer(["HOME": "/h"]).directory(for: .user) == "/h/.local/share/jupyter/kernels/nndsl")
    #expect(
      try installer(["HOME": "/h", "XDG_DATA_HOME": "/x"]).directory(for: .user) == "/x/jupyter/kernels/nndsl")
    #expect(
      try installer(["HOME": "/h", "JUPYTER_DATA_DIR": "/j"]).directory(for: .user) == "/j/kernels/nndsl")
    #expect(try installer(["VIRTUAL_ENV": "/v"]).directory(for: .sysPrefix) == "/v/share/jupyter/kernels/nndsl")
    #expect(try installer([:]).directory(for: .prefix("/p")) == "/p/share/jupyter/kernels/nndsl")
    #expect(try installer([:]).directory(for: .system) == "/usr/local/share/jupyter/kernels/nndsl")
    #expect(throws: KernelSpecError.noHome) { try installer([:]).directory(for: .user) }
  }

  @Test func kernelJSON() {
    let spec = installer([:]).kernelJSON
    #expect(spec["argv"] == ["/opt/k/kernel", "-f", "{connection_file}"])
    #expect(spec["language"] == "nndsl")
    #expect(spec["interrupt_mode"] == "message")
    #expect(spec["display_name"] == "NN DSL")
    #expect(spec["metadata"]?.objectValue != nil)
  }

  @Test(arguments: [("nndsl", true), ("a.b_c-1", true), ("", false), ("a/b", false), ("é", false), ("a b", false)])
  func names(name: String, valid: Bool) {
    #expect(KernelSpecInstaller.isValidName(name) == valid)
  }

  @Test func installWritesAllFiles() throws {
    let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("ks-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: prefix) }
    let dir = try installer([:]).install(at: .prefix(prefix))
    for file in ["kernel.json", "logo-svg.svg", "logo-32x32.png", "logo-64x64.png"] {
      #expect(FileManager.default.fileExists(atPath: dir + "/" + file), "\(file) missing")
    }
    let json = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/kernel.json"))))
    #expect(json["language"] == "nndsl")
    var bad = installer([:])
    bad.name = "../evil"
    #expect(throws: KernelSpecError.invalidName("../evil")) { try bad.install(at: .prefix(prefix)) }
  }
}
