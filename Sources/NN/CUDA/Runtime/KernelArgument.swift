/// One kernel parameter, passed to cuLaunchKernel by address (the driver copies the value).
enum KernelArgument {
  /// A device address (or 0 for a null pointer).
  case pointer(UInt64)
  /// A C int.
  case int32(Int32)
  /// A C long long.
  case int64(Int64)
  /// A C float.
  case float(Float)
  /// A C double.
  case double(Double)

  /// Calls `body` with the `void**` array cuLaunchKernel expects, valid during the call.
  static func withParameterArray<R>(
    _ arguments: [KernelArgument],
    _ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>?) throws(CUDAError) -> R
  ) throws(CUDAError) -> R {
    let storage = UnsafeMutableRawPointer.allocate(
      byteCount: max(arguments.count, 1) * 8, alignment: 8)
    defer { storage.deallocate() }
    var pointers: [UnsafeMutableRawPointer?] = []
    for (i, argument) in arguments.enumerated() {
      let slot = storage + i * 8
      switch argument {
      case .pointer(let v): slot.storeBytes(of: v, as: UInt64.self)
      case .int32(let v): slot.storeBytes(of: v, as: Int32.self)
      case .int64(let v): slot.storeBytes(of: v, as: Int64.self)
      case .float(let v): slot.storeBytes(of: v, as: Float.self)
      case .double(let v): slot.storeBytes(of: v, as: Double.self)
      }
      pointers.append(slot)
    }
    return try pointers.withUnsafeMutableBufferPointer { buffer throws(CUDAError) -> R in
      try body(buffer.baseAddress)
    }
  }
}
