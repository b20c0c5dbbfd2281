/// A failure of the GPU stack: a library that cannot be loaded, or a call that returned an error.
///
/// Every CUDA driver, NVRTC and cuBLAS status goes through one `check` that throws this; the
/// message names the call, the numeric code, the library's own text and (NVRTC) the compile log.
public enum CUDAError: Error, CustomStringConvertible, Equatable {
  /// No candidate path of the library could be opened.
  case libraryNotFound(library: String, tried: [String], reasons: [String])
  /// The file opened but lacks a required symbol (not the library it claims to be, or too old).
  case symbolMissing(library: String, path: String, symbol: String)
  /// A CUDA driver API call failed.
  case driver(call: String, code: Int32, name: String, message: String)
  /// An NVRTC call failed; `log` is the compiler's log (empty when not compiling).
  case nvrtc(call: String, code: Int32, message: String, log: String)
  /// A cuBLAS call failed.
  case cublas(call: String, code: Int32, name: String)
  /// The driver loaded but reports no usable device.
  case noDevice(String)
  /// The run needs something the GPU path does not support.
  case unsupported(String)

  /// One line a user can act on (the NVRTC log follows on later lines).
  public var description: String {
    switch self {
    case .libraryNotFound(let library, let tried, let reasons):
      let attempts = zip(tried, reasons).map { "\($0) (\($1))" }.joined(separator: "; ")
      return "cannot load the \(library): tried \(attempts)"
    case .symbolMissing(let library, let path, let symbol):
      return "\(path) is not a usable \(library): it has no symbol \(symbol)"
    case .driver(let call, let code, let name, let message):
      return "CUDA driver call \(call) failed: \(code) \(name): \(message)"
    case .nvrtc(let call, let code, let message, let log):
      let trimmed = log.trimmingCharacters(in: .whitespacesAndNewlines)
      return "NVRTC call \(call) failed: \(code) \(message)"
        + (trimmed.isEmpty ? "" : "\ncompile log:\n\(trimmed)")
    case .cublas(let call, let code, let name):
      return "cuBLAS call \(call) failed: \(code) \(name)"
    case .noDevice(let why):
      return "no usable CUDA device: \(why)"
    case .unsupported(let why):
      return "not supported on the GPU: \(why)"
    }
  }
}
