/// One Jupyter message: routing identities, header, parent header, metadata, content, buffers.
///
/// `rawHeader` keeps the header frame exactly as it arrived, so a reply's `parent_header` is a
/// byte-for-byte copy of the request's header.
struct Message: Sendable {
  /// ZMQ routing identities (ROUTER sockets) or the topic (IOPub).
  var identities: [[UInt8]]
  var header: JSON
  /// The parent's header frame as bytes (`{}` when there is no parent).
  var parentHeaderFrame: [UInt8]
  var metadata: JSON
  var content: JSON
  var buffers: [[UInt8]]
  /// The header frame as received; nil for messages this kernel built.
  var rawHeader: [UInt8]?

  var msgType: String { header["msg_type"]?.stringValue ?? "" }
  var msgID: String { header["msg_id"]?.stringValue ?? "" }

  /// The header bytes a child message should carry as its `parent_header`.
  var headerFrameForChildren: [UInt8] { rawHeader ?? header.serialized() }

  /// The parent header as JSON (parsed from its frame).
  var parentHeader: JSON { (try? JSON.parse(parentHeaderFrame)) ?? .object([:]) }

  init(
    identities: [[UInt8]] = [], header: JSON, parentHeaderFrame: [UInt8] = Array("{}".utf8),
    metadata: JSON = [:], content: JSON = [:], buffers: [[UInt8]] = [], rawHeader: [UInt8]? = nil
  ) {
    self.identities = identities
    self.header = header
    self.parentHeaderFrame = parentHeaderFrame
    self.metadata = metadata
    self.content = content
    self.buffers = buffers
    self.rawHeader = rawHeader
  }
}

/// The five sockets of a kernel.
enum Channel: String, Sendable, CaseIterable {
  case shell, control, stdin, iopub, heartbeat
}
