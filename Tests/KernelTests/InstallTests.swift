import Foundation
import Testing

@testable import Kernel

@Suite struct KernelLogoTests {
  static let files = Dictionary(uniqueKeysWithValues: KernelLogo.files)

  @Test(arguments: [32, 64])
  func logoPNGHasHeaderAndSize(size: Int) throws {
    let png = try #require(Self.files["logo-\(size)x\(size).png"])
    #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    #expect(Array(png[12..<16]) == Array("IHDR".utf8))
    #expect(Int(png[18]) << 8 | Int(png[19]) == size)
    #expect(Int(png[22]) << 8 | Int(png[23]) == size)
    #expect(png[24] == 8 && png[25] == 6, "8-bit RGBA")
    #expect(Array(png.suffix(8)) == [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
  }

  @Test func svgIsWellFormedEnough() throws {
    let svg = String(decoding: try #require(Self.files["logo-svg.svg"]), as: UTF8.self)
    #expect(svg.hasPrefix("<svg"))
    #expect(svg.contains("</svg>"))
    #expect(svg.components(separatedBy: "<circle").count - 1 == 6)
  }

  @Test func theKernelspecGetsTheThreeLogos() {
    #expect(KernelLogo.files.map(\.0) == ["logo-svg.svg", "logo-32x32.png", "logo-64x64.png"])
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
