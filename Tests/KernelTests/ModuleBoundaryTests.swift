import Foundation
import Testing

/// The project's root, found from this file's path.
private let projectRoot = URL(fileURLWithPath: #filePath)
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The module names every Swift file under `Sources/<module>` imports.
private func imports(of module: String) throws -> [(file: String, module: String)] {
  let dir = projectRoot.appendingPathComponent("Sources/\(module)")
  guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
  var found: [(String, String)] = []
  for case let relative as String in walker where relative.hasSuffix(".swift") {
    let text = try String(contentsOfFile: dir.appendingPathComponent(relative).path, encoding: .utf8)
    for line in text.split(separator: "\n") {
      let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
      // `import X`, `@testable import X`, `@preconcurrency import X`, `import struct X.Y`
      guard let i = words.firstIndex(of: "import"), i + 1 < words.count else { continue }
      guard words[..<i].allSatisfy({ $0.hasPrefix("@") }) else { continue }
      var target = words[i + 1]
      if ["struct", "class", "enum", "func", "protocol", "var", "let", "typealias"].contains(target),
        i + 2 < words.count
      {
        target = words[i + 2]
      }
      found.append((relative, String(target.split(separator: ".")[0])))
    }
  }
  return found
}

/// Which module may not import which: the Kernel knows nothing of NN, the DSL nothing of the Kernel,
/// NN nothing of the language or of Jupyter.
struct Boundary: Sendable, CustomStringConvertible {
  let module: String
  let forbidden: [String]
  var description: String { "\(module) imports none of \(forbidden)" }
}

@Test(arguments: [
  Boundary(module: "NN", forbidden: ["DSL", "Kernel", "CZmq", "CCrypto"]),
  Boundary(module: "DSL", forbidden: ["Kernel", "CZmq", "CCrypto"]),
  Boundary(module: "Kernel", forbidden: ["NN", "CBLAS"]),
])
func moduleBoundaries(_ boundary: Boundary) throws {
  let found = try imports(of: boundary.module)
  #expect(!found.isEmpty, "no Swift files found for \(boundary.module)")
  for (file, module) in found where boundary.forbidden.contains(module) {
    Issue.record("Sources/\(boundary.module)/\(file) imports \(module)")
  }
}

/// The dependency list of a target in the manifest text: what stands between `dependencies: [` and its `]`.
private func dependencies(of target: String, in manifest: String) throws -> String {
  let name = try #require(manifest.range(of: "name: \"\(target)\""), "target \(target) not in Package.swift")
  let deps = try #require(manifest.range(of: "dependencies: [", range: name.upperBound..<manifest.endIndex))
  var depth = 1
  var i = deps.upperBound
  while i < manifest.endIndex, depth > 0 {
    if manifest[i] == "[" { depth += 1 }
    if manifest[i] == "]" { depth -= 1 }
    i = manifest.index(after: i)
  }
  return String(manifest[deps.upperBound..<i])
}

@Test(arguments: [
  Boundary(module: "NN", forbidden: ["DSL", "Kernel", "CZmq", "CCrypto"]),
  Boundary(module: "DSL", forbidden: ["Kernel", "CZmq", "CCrypto"]),
  Boundary(module: "Kernel", forbidden: ["NN", "CBLAS"]),
])
func packageManifestMatchesTheBoundaries(_ boundary: Boundary) throws {
  // The manifest's target dependencies must agree with the import rules.
  let manifest = try String(contentsOf: projectRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
  let deps = try dependencies(of: boundary.module, in: manifest)
  for forbidden in boundary.forbidden {
    #expect(!deps.contains("\"\(forbidden)\""), "\(boundary.module) depends on \(forbidden) in Package.swift")
  }
}
