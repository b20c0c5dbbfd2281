/// Moves messages for the core (cf. xeus's server): the ZMQ transport, or memory in tests.
///
/// `send` may be called from any thread; an implementation serialises access to its sockets.
protocol KernelTransport: AnyObject, Sendable {
  /// Sends a message on a channel (identities route ROUTER replies; IOPub ignores them).
  func send(_ message: Message, on channel: Channel)
}
