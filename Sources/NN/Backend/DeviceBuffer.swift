/// A typed view of backend memory: a host address (CPU) or device address (GPU) and a length.
///
/// It owns nothing; the backend that allocated it frees it. Slices are address arithmetic,
/// so the same code addresses CUDA device pointers and host pointers.
struct DeviceBuffer<Element>: @unchecked Sendable {
  let address: UInt
  let count: Int

  /// The elements [offset, offset + length).
  func slice(_ offset: Int, _ length: Int) -> DeviceBuffer<Element> {
    precondition(offset >= 0 && length >= 0 && offset + length <= count, "slice out of range")
    return DeviceBuffer(
      address: address + UInt(offset * MemoryLayout<Element>.stride), count: length)
  }

  /// The host pointer (valid only for host-memory backends).
  var pointer: UnsafeMutablePointer<Element> {
    UnsafeMutablePointer<Element>(bitPattern: address).unsafelyUnwrapped
  }
}
