/// 16-lane Float vectors over raw pointers for the CPU kernels (one AVX-512 register).
enum Vec {
  typealias V = SIMD16<Float>

  @inline(__always)
  static func load(_ p: UnsafeMutablePointer<Float>, _ i: Int) -> V {
    UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
  }

  @inline(__always)
  static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
    UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self)
  }
}
