/// Series of numbers as compact BLOBs: little-endian Float32 (per-step series, weights) or
/// Float64 (per-epoch per-layer values).
enum FloatBlob {
  /// The bytes of `values` as little-endian Float32.
  static func encode(_ values: some Collection<Float>) -> [UInt8] {
    #if _endian(little)
      if let bytes = values.withContiguousStorageIfAvailable({ Array(UnsafeRawBufferPointer($0)) }) {
        return bytes
      }
    #endif
    var out = [UInt8]()
    out.reserveCapacity(values.count * 4)
    for v in values {
      let bits = v.bitPattern.littleEndian
      withUnsafeBytes(of: bits) { out.append(contentsOf: $0) }
    }
    return out
  }

  /// Little-endian Float32 values from `bytes` (a trailing partial value is ignored).
  static func decodeFloats(_ bytes: [UInt8]) -> [Float] {
    let count = bytes.count / 4
    var out = [Float](repeating: 0, count: count)
    #if _endian(little)
      out.withUnsafeMutableBytes { dst in
        bytes.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[0..<count * 4])) }
      }
    #else
      bytes.withUnsafeBytes { raw in
        for i in 0..<count {
          let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
          out[i] = Float(bitPattern: bits)
        }
      }
    #endif
    return out
  }

  /// The bytes of `values` as little-endian Float64.
  static func encode(_ values: [Double]) -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(values.count * 8)
    for v in values {
      let bits = v.bitPattern.littleEndian
      withUnsafeBytes(of: bits) { out.append(contentsOf: $0) }
    }
    return out
  }

  /// Little-endian Float64 values from `bytes`.
  static func decodeDoubles(_ bytes: [UInt8]) -> [Double] {
    let count = bytes.count / 8
    var out = [Double](repeating: 0, count: count)
    bytes.withUnsafeBytes { raw in
      for i in 0..<count {
        let bits = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
        out[i] = Double(bitPattern: bits)
      }
    }
    return out
  }
}
