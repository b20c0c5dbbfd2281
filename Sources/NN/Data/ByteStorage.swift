/// An immutable, 64-byte-aligned block of bytes that never moves (images and labels).
///
/// Backends may alias it (the CPU backend reads it in place) instead of copying it.
final class ByteStorage: @unchecked Sendable {
  let pointer: UnsafeMutableRawPointer
  let count: Int

  /// Allocates `count` bytes (uninitialised); the caller fills them before sharing.
  init(count: Int) {
    self.count = count
    pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 64)
  }

  convenience init(_ bytes: [UInt8]) {
    self.init(count: bytes.count)
    bytes.withUnsafeBytes { src in
      if let base = src.baseAddress { pointer.copyMemory(from: base, byteCount: bytes.count) }
    }
  }

  deinit { pointer.deallocate() }

  var bytes: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: count)
  }

  var array: [UInt8] { Array(bytes) }
}
