import Foundation

/// Builds outgoing messages: fresh `msg_id`s, one session id per process, ISO-8601 UTC dates.
final class MessageFactory: @unchecked Sendable {
  /// The protocol version this kernel puts in every header.
  static let protocolVersion = "5.5"

  /// The session id shared by every message this kernel sends.
  let session: String
  let username: String
  private let lock = NSLock()
  private var counter = 0

  init(session: String = UUID().uuidString.lowercased(), username: String = "kernel") {
    self.session = session
    self.username = username
  }

  /// A fresh, unique message id.
  func newMessageID() -> String {
    lock.lock()
    counter += 1
    let n = counter
    lock.unlock()
    return "\(UUID().uuidString.lowercased())_\(n)"
  }

  /// A header for a new message of `msgType`.
  func header(_ msgType: String, date: String = ISODate.now()) -> JSON {
    [
      "msg_id": .string(newMessageID()),
      "session": .string(session),
      "username": .string(username),
      "date": .string(date),
      "msg_type": .string(msgType),
      "version": .string(MessageFactory.protocolVersion),
    ]
  }

  /// A reply on the request's channel, routed back to the request's identities.
  func reply(to request: Message, type: String, content: JSON, metadata: JSON = [:]) -> Message {
    Message(
      identities: request.identities, header: header(type),
      parentHeaderFrame: request.headerFrameForChildren, metadata: metadata, content: content)
  }

  /// An IOPub message whose parent is `parent` (nil: no parent, e.g. the starting status).
  func broadcast(_ type: String, content: JSON, parent: Message?, metadata: JSON = [:]) -> Message {
    Message(
      identities: [Array("kernel.\(session).\(type)".utf8)], header: header(type),
      parentHeaderFrame: parent?.headerFrameForChildren ?? Array("{}".utf8),
      metadata: metadata, content: content)
  }

  /// The reply type for a request type: `execute_request` → `execute_reply`.
  static func replyType(for requestType: String) -> String {
    if requestType.hasSuffix("_request") {
      return String(requestType.dropLast("_request".count)) + "_reply"
    }
    return requestType + "_reply"
  }
}
