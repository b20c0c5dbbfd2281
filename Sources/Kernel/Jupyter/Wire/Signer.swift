import CCrypto

/// Why a connection's signing setup is unusable.
enum SignerError: Error, Equatable, CustomStringConvertible {
  /// `signature_scheme` is not `hmac-<digest>` with a digest OpenSSL knows.
  case unsupportedScheme(String)

  var description: String {
    switch self {
    case .unsupportedScheme(let s):
      return "unsupported signature_scheme '\(s)' (expected hmac-sha256 or another hmac-<digest>)"
    }
  }
}

/// HMAC signing of the four JSON frames (header, parent, metadata, content), via OpenSSL.
///
/// An empty key means messages are neither signed nor checked (the spec's "no authentication").
struct Signer: Sendable {
  let key: [UInt8]
  let scheme: String
  private let digestName: String

  init(key: [UInt8], scheme: String = "hmac-sha256") throws(SignerError) {
    self.key = key
    self.scheme = scheme
    guard scheme.hasPrefix("hmac-") else { throw .unsupportedScheme(scheme) }
    let name = String(scheme.dropFirst(5))
    guard EVP_get_digestbyname(name) != nil else { throw .unsupportedScheme(scheme) }
    digestName = name
  }

  var isEnabled: Bool { !key.isEmpty }

  /// Lowercase hex HMAC of the frames, or empty when signing is off.
  func signature(_ frames: [[UInt8]]) -> [UInt8] {
    guard isEnabled, let md = EVP_get_digestbyname(digestName) else { return [] }
    var data: [UInt8] = []
    data.reserveCapacity(frames.reduce(0) { $0 + $1.count })
    for f in frames { data.append(contentsOf: f) }
    var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var outLen: UInt32 = 0
    let ok = key.withUnsafeBytes { k in
      data.withUnsafeBytes { d in
        HMAC(
          md, k.baseAddress, Int32(k.count), d.bindMemory(to: UInt8.self).baseAddress, d.count,
          &out, &outLen)
      }
    }
    guard ok != nil else { return [] }
    return Signer.hex(out.prefix(Int(outLen)))
  }

  /// Whether `received` is the right signature, compared in constant time.
  func verify(_ received: [UInt8], frames: [[UInt8]]) -> Bool {
    guard isEnabled else { return true }
    let expected = signature(frames)
    // Hex from other clients might be uppercase; the spec says lowercase, normalise anyway.
    let normalised = received.map { (0x41...0x46).contains($0) ? $0 + 0x20 : $0 }
    guard expected.count == normalised.count, !expected.isEmpty else { return false }
    return expected.withUnsafeBytes { e in
      normalised.withUnsafeBytes { r in CRYPTO_memcmp(e.baseAddress, r.baseAddress, e.count) == 0 }
    }
  }

  private static let digits = Array("0123456789abcdef".utf8)

  static func hex<S: Sequence>(_ bytes: S) -> [UInt8] where S.Element == UInt8 {
    var out: [UInt8] = []
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0xF)])
    }
    return out
  }
}
