import Foundation
import Testing

@testable import NN

/// A real NVRTC compile of the project's CUDA C kernels for Hopper (compute capability 9.0),
/// with the NVRTC of PyPI's `nvidia-cuda-nvrtc` wheel: no GPU and no CUDA toolkit needed.
///
/// NVRTC is found through NNDSL_NVRTC_PATH or in the project's `.venv`
/// (`.venv/bin/pip install "nvidia-cuda-nvrtc==13.0.*"`). Missing: the tests fail when the
/// environment has CI set, and are skipped with a message otherwise.
@Suite struct CUDAKernelCompileTests {
  /// The project root (this file is Tests/NNTests/CUDAKernelCompileTests.swift).
  static let projectRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

  /// NNDSL_NVRTC_PATH, else .venv/lib/python3*/site-packages/nvidia/*/lib/libnvrtc.so.* .
  static let nvrtcPath: String? = {
    let env = ProcessInfo.processInfo.environment
    if let path = env["NNDSL_NVRTC_PATH"], !path.isEmpty { return path }
    let fm = FileManager.default
    let lib = projectRoot + "/.venv/lib"
    for python in ((try? fm.contentsOfDirectory(atPath: lib)) ?? []).sorted()
    where python.hasPrefix("python3") {
      let nvidia = "\(lib)/\(python)/site-packages/nvidia"
      for package in ((try? fm.contentsOfDirectory(atPath: nvidia)) ?? []).sorted() {
        let dir = "\(nvidia)/\(package)/lib"
        let names = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted()
        if let name = names.first(where: { $0.hasPrefix("libnvrtc.so") && !$0.contains("alt") }) {
          return "\(dir)/\(name)"
        }
      }
    }
    return nil
  }()

  static let inCI = !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty
  static let skipMessage =
    "NVRTC not found: set NNDSL_NVRTC_PATH or run "
    + "`.venv/bin/pip install \"nvidia-cuda-nvrtc==13.0.*\"` in the project root"

  /// NVRTC, or a recorded failure in CI.
  static func nvrtc() throws -> NVRTCAPI {
    let path = try #require(nvrtcPath, Comment(rawValue: skipMessage))
    return try CUDARuntime.loadNVRTC(environment: ["NNDSL_NVRTC_PATH": path])
  }

  @Test(.enabled(if: nvrtcPath != nil || inCI, Comment(rawValue: skipMessage)))
  func kernelsCompileToPTXForHopper() throws {
    let nvrtc = try Self.nvrtc()
    let output = try nvrtc.compile(
      source: CUDAKernelSource.text, name: "nn_kernels.cu", architecture: "compute_90")
    #expect(output.ptx.contains(".target sm_90"))
    #expect(output.cubin == nil)
    for name in CUDAKernelSource.kernelNames {
      #expect(output.ptx.contains(".entry \(name)("), "PTX lacks kernel \(name)")
    }
    // No register arrays spilled to local memory in any kernel.
    #expect(!output.ptx.contains(".local"), "a kernel uses local memory")
  }

  @Test(.enabled(if: nvrtcPath != nil || inCI, Comment(rawValue: skipMessage)))
  func kernelsCompileToCUBINForSM90() throws {
    let nvrtc = try Self.nvrtc()
    let output = try nvrtc.compile(
      source: CUDAKernelSource.text, name: "nn_kernels.cu", architecture: "sm_90")
    let cubin = try #require(output.cubin)
    #expect(cubin.count > 1000)
    #expect(Array(cubin.prefix(4)) == [0x7F, 0x45, 0x4C, 0x46], "CUBIN is an ELF file")
  }

  /// The largest block each kernel is launched with (CUDARunPlan): the 1024-thread kernels must
  /// use at most 64 registers per thread (65,536 per SM), or the launch fails on the device.
  static let maxBlock = [
    "nn_linear_forward": CUDATrainer.blockSize, "nn_backward_delta": CUDATrainer.blockSize,
    "nn_update": CUDATrainer.blockSize, "nn_softmax_ce": 1024, "nn_head": 1024,
  ]

  @Test(.enabled(if: nvrtcPath != nil || inCI, Comment(rawValue: skipMessage)))
  func kernelsFitTheirBlocksOnHopper() throws {
    let nvrtc = try Self.nvrtc()
    let output = try nvrtc.compile(
      source: CUDAKernelSource.text, name: "nn_kernels.cu", architecture: "sm_90")
    let image = try #require(output.cubin)
    let cubin = try #require(CUBINReader(image), "not an ELF64 CUBIN")
    #expect(Set(Self.maxBlock.keys) == Set(CUDAKernelSource.kernelNames))
    for name in CUDAKernelSource.kernelNames {
      let registers = try #require(cubin.registers[name], "no register count for \(name)")
      let block = try #require(Self.maxBlock[name])
      #expect(registers > 0 && registers <= 255, "\(name): \(registers) registers")
      #expect(registers * block <= 65_536, "\(name): \(registers) registers × \(block) threads exceed an SM's 65,536")
      #expect(cubin.frameBytes[name] == 0, "\(name) has a stack frame of \(cubin.frameBytes[name] ?? -1) bytes")
    }
  }

  @Test(.enabled(if: nvrtcPath != nil || inCI, Comment(rawValue: skipMessage)))
  func compileErrorsCarryTheLog() throws {
    let nvrtc = try Self.nvrtc()
    let broken = "extern \"C\" __global__ void k(float* x) { x[0] = undefined_name; }"
    do {
      _ = try nvrtc.compile(source: broken, name: "broken.cu", architecture: "compute_90")
      Issue.record("a broken kernel compiled")
    } catch {
      guard case .nvrtc(let call, let code, let message, let log) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(call.hasPrefix("nvrtcCompileProgram("))
      #expect(code == 6)  // NVRTC_ERROR_COMPILATION
      #expect(message == "NVRTC_ERROR_COMPILATION")
      #expect(log.contains("undefined_name"))
      #expect(error.description.contains("compile log:"))
    }
  }

  @Test(.enabled(if: nvrtcPath != nil || inCI, Comment(rawValue: skipMessage)))
  func versionIsReported() throws {
    let nvrtc = try Self.nvrtc()
    #expect(nvrtc.version.split(separator: ".").count == 2)
    #expect(nvrtc.version != "unknown")
  }
}
