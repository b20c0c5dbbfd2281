/// The GPU kernels keep each weight as (fanOut, fanIn) row-major (PyTorch's layout: one output's
/// weights are contiguous, so a warp reads them coalesced); the CPU engine's arena stores it as
/// (fanIn, fanOut), the shape OpenBLAS runs fastest. This converts whole arenas between the two;
/// biases and the order of tensors are the same in both.
enum CUDAWeightLayout {
  /// CPU arena → device arena (each weight transposed to (fanOut, fanIn)).
  static func toDevice(_ host: [Float], model: ModelSpec) -> [Float] {
    convert(host, model: model, toDevice: true)
  }

  /// Device arena → CPU arena (each weight transposed back to (fanIn, fanOut)).
  static func toHost(_ device: [Float], model: ModelSpec) -> [Float] {
    convert(device, model: model, toDevice: false)
  }

  private static func convert(_ values: [Float], model: ModelSpec, toDevice: Bool) -> [Float] {
    var out = values
    var offset = 0
    var fanIn = model.inputWidth
    for layer in model.layers {
      let fanOut = layer.width
      guard offset + fanIn * fanOut <= values.count else { break }
      for i in 0..<fanIn {
        for o in 0..<fanOut {
          // host index: i * fanOut + o; device index: o * fanIn + i
          if toDevice {
            out[offset + o * fanIn + i] = values[offset + i * fanOut + o]
          } else {
            out[offset + i * fanOut + o] = values[offset + o * fanIn + i]
          }
        }
      }
      offset += fanIn * fanOut + fanOut
      fanIn = fanOut
    }
    return out
  }
}
