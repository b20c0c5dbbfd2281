/// Activation forward: y = f(x) elementwise.
// x: (B, N) -> y: (B, N)
func activationForward(
  _ backend: CPUBackend, _ kind: Activation, x: DeviceBuffer<Float>, y: DeviceBuffer<Float>, n: Int
) {
  backend.activationForward(kind, x: x, y: y, n: n)
}

/// Activation backward: dx = dy ⊙ f'(x) (ReLU: x > 0; tanh: 1 − y²; sigmoid: y(1 − y)).
// x, y, dy: (B, N) -> dx: (B, N)
func activationBackward(
  _ backend: CPUBackend, _ kind: Activation, x: DeviceBuffer<Float>, y: DeviceBuffer<Float>,
  dy: DeviceBuffer<Float>, dx: DeviceBuffer<Float>, n: Int
) {
  backend.activationBackward(kind, x: x, y: y, dy: dy, dx: dx, n: n)
}
