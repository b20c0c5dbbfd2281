// swift-tools-version:6.0
// The NN-DSL Jupyter kernel: a training language, its NN engine, and the Jupyter front door.
//
// Module rules (checked by Tests/KernelTests/ModuleBoundaryTests.swift):
//   NN     imports neither DSL nor Kernel (it knows nothing of the language or of Jupyter);
//   DSL    imports NN but never Kernel (the session is the bridge between language and engine);
//   Kernel imports DSL, never NN directly.
import PackageDescription

let package = Package(
  name: "nn-dsl-kernel",
  products: [
    .executable(name: "kernel", targets: ["Kernel"]),
    .library(name: "DSL", targets: ["DSL"]),
    .library(name: "NN", targets: ["NN"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // C shims: one system library each, found through pkg-config (libzmq: header only).
    // libzmq: only the header (types and constants, from libzmq3-dev). The library itself is
    // opened with dlopen when the Jupyter kernel starts (ZMQLibrary), so script mode runs where
    // libzmq is not installed.
    .systemLibrary(name: "CZmq", path: "Sources/CZmq"),
    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]),
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    // SQLite: the header from libsqlite3-dev; the library is linked statically (libsqlite3.a, see
    // the DSL target) so the static kernel binary keeps its run store where libsqlite3 is absent.
    .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),

    .target(
      name: "NN", dependencies: ["CBLAS", "CZlib"],
      // The CUDA kernels: a real .cu file, embedded as bytes (NVRTC compiles it at run time).
      resources: [.embedInCode("CUDA/Kernels/nn_kernels.cu")],
      // Lets Float.squareRoot() lower to sqrtps (no errno fallback call): 3× faster Adam step.
      // The engine is optimised in debug builds too, so `swift run kernel --script` trains at
      // close to release speed (benchmarks/debug_speed.sh); the other targets stay debuggable.
      swiftSettings: [
        .unsafeFlags(["-Xcc", "-fno-math-errno"]),
        .unsafeFlags(["-O"], .when(configuration: .debug)),
      ]),
    .target(
      name: "DSL", dependencies: ["NN", "CSQLite"],
      linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libsqlite3.a", "-Xlinker", "-ldl"])]),
    .executableTarget(
      name: "Kernel",
      dependencies: [
        "DSL", "CZmq", "CCrypto",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // The kernelspec's logos, committed files embedded as bytes.
      resources: [
        .embedInCode("Jupyter/Install/Logo/logo-svg.svg"),
        .embedInCode("Jupyter/Install/Logo/logo-32x32.png"),
        .embedInCode("Jupyter/Install/Logo/logo-64x64.png"),
      ]),
    // Engine benchmarks (speed and parity against PyTorch): not part of the product.
    .executableTarget(name: "NNBench", dependencies: ["NN"]),

    // Emulator/: the C++ stand-in libcuda the emulator tests build at run time.
    .testTarget(name: "NNTests", dependencies: ["NN"], exclude: ["Emulator"]),
    .testTarget(name: "DSLTests", dependencies: ["DSL", "NN"], exclude: ["Golden"]),
    .testTarget(name: "KernelTests", dependencies: ["Kernel"]),
  ],
  swiftLanguageModes: [.v6]
)
