/// Which backend a run asks for.
public enum DeviceChoice: String, CaseIterable, Sendable, Codable {
  /// The GPU when one is usable, else the CPU.
  case auto
  /// The CPU backend (OpenBLAS).
  case cpu
  /// The GPU backend; an error where there is none.
  case gpu
}
