import Foundation
import Testing

@testable import NN

/// The kernels NVRTC compiles are the bytes of nn_kernels.cu, the file the emulator includes.
@Suite struct CUDAKernelSourceTests {
  static let file = CUDAKernelCompileTests.projectRoot + "/Sources/NN/CUDA/Kernels/nn_kernels.cu"

  @Test func embeddedSourceIsTheFile() throws {
    let onDisk = try String(contentsOfFile: Self.file, encoding: .utf8)
    #expect(CUDAKernelSource.text == onDisk)
  }

  @Test(arguments: CUDAKernelSource.kernelNames)
  func everyKernelIsDefinedWithCLinkage(_ name: String) {
    #expect(CUDAKernelSource.text.contains("extern \"C\" __global__ void \(name)("), "\(name)")
  }
}
