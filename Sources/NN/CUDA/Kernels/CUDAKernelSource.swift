/// The CUDA C source of every GPU kernel (nn_kernels.cu), compiled once per process by NVRTC.
///
/// No headers: NVRTC provides the builtins (threadIdx, __shfl_xor_sync, expf, ...). Every kernel
/// is `extern "C"` so the driver finds it by its plain name. Kernels that depend on the batch read
/// it from a device-side `StepTable` (one `StepInfo` per step of the epoch, written by the host
/// once per epoch, and a cursor that the last block of `nn_update` moves on), so one captured CUDA
/// graph replays any step of an epoch (including the shorter last batch) without host
/// involvement. Reductions are deterministic: fixed-order tree sums inside a block, and a
/// fixed-order sum over blocks done by the last block.
enum CUDAKernelSource {
  /// Kernel names, in the order the trainer loads them.
  static let kernelNames = [
    "nn_linear_forward", "nn_softmax_ce", "nn_backward_delta", "nn_update", "nn_head",
  ]

  /// Activation codes shared with the kernels.
  static func code(_ activation: Activation?) -> Int32 {
    switch activation {
    case nil: return 0
    case .relu: return 1
    case .tanh: return 2
    case .sigmoid: return 3
    }
  }

  /// Optimizer codes shared with `nn_update`.
  static func code(_ optimizer: OptimizerKind) -> Int32 {
    switch optimizer {
    case .adam: return 0
    case .sgd: return 1
    }
  }

  /// The source text (one translation unit): nn_kernels.cu, embedded in the binary at build time.
  static let text = String(decoding: PackageResources.nn_kernels_cu, as: UTF8.self)
}
