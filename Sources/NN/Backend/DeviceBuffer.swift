/// A typed view of memory `CPUBackend` allocated (or aliased): an address and a length.
///
/// It owns nothing; the backend that allocated it frees it. Slices are address arithmetic.
struct DeviceBuffer<Element>: @unchecked Sendable {
  let address: UInt
  let count: Int

  /// The elements [offset, offset + length).
  func slice(_ offset: Int, _ length: Int) -> DeviceBuffer<Element> {
    precondition(offset >= 0 && length >= 0 && offset + length <= count, "slice out of range")
    return DeviceBuffer(
      address: address + UInt(offset * MemoryLayout<Element>.stride), count: length)
  }

  /// The host pointer.
  var pointer: UnsafeMutablePointer<Element> {
    UnsafeMutablePointer<Element>(bitPattern: address).unsafelyUnwrapped
  }
}
