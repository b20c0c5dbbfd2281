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
      if ["struct", "class", "enum", "func", "protocol", "var", "let", "typealias"].contains(target), i + 2 < words.count {
        target = words[i + 2]
      }
      found.append((relative, String(target.split(separator: ".")[0])))
    }
  }
  return found
}

/// Which module may not import which (BRIEF: Kernel knows nothing of NN; NN knows nothing of Jupyter).
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

@Test func packageManifestMatchesTheBoundaries() throws {
  // The manifest's target dependencies must agree with the import rules.
  let manifest = try String(contentsOf: projectRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
  let nn = try #require(dependencies(of: "NN", in: manifest))
  #expect(!nn.contains("\"DSL\"") && !nn.contains("\"Kernel\""))
  let dsl = try #require(dependencies(of: "DSL", in: manifest))
  #expect(!dsl.contains("\"Kernel\""))
}

/// The text of `dependencies: [...]` of the `.target` named `name` (one line or several).
private func dependencies(of name: String, in manifest: String) -> Substring? {
  var searchStart = manifest.startIndex
  while let target = manifest.range(of: ".target(", range: searchStart..<manifest.endIndex) {
    searchStart = target.upperBound
    let rest = manifest[target.upperBound...].drop { $0 == " " || $0 == "\n" }
    guard rest.hasPrefix("name: \"\(name)\"") else { continue }
    guard let deps = rest.range(of: "dependencies: [") else { return nil }
    return rest[deps.upperBound...].prefix { $0 != "]" }
  }
  return nil
}
