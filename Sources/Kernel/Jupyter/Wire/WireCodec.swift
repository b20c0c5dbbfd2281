/// Why an incoming multipart message was dropped (logged, never answered).
enum WireError: Error, Equatable, CustomStringConvertible {
  /// No `<IDS|MSG>` delimiter frame.
  case missingDelimiter(frameCount: Int)
  /// Fewer than the five frames (signature + four JSON) after the delimiter.
  case tooFewFrames(Int)
  /// The signature does not match the frames (or is missing while a key is set).
  case badSignature
  /// A JSON frame that does not parse.
  case invalidJSON(frame: String, JSONParseError)
  /// The header is not an object with a string `msg_type`.
  case invalidHeader(String)

  var description: String {
    switch self {
    case .missingDelimiter(let n): return "no <IDS|MSG> delimiter among \(n) frame(s)"
    case .tooFewFrames(let n): return "only \(n) frame(s) after <IDS|MSG>, need 5"
    case .badSignature: return "bad or missing signature"
    case .invalidJSON(let frame, let e): return "invalid JSON in \(frame): \(e)"
    case .invalidHeader(let why): return "invalid header: \(why)"
    }
  }
}

/// `<IDS|MSG>` framing and signing: frames ⇄ `Message`. Pure, no sockets.
struct WireCodec: Sendable {
  static let delimiter: [UInt8] = Array("<IDS|MSG>".utf8)
  let signer: Signer

  /// Decodes and authenticates a multipart message. The signature is checked over the four JSON
  /// frames exactly as received, before any of them is parsed.
  func decode(_ frames: [[UInt8]]) throws(WireError) -> Message {
    guard let split = frames.firstIndex(of: WireCodec.delimiter) else {
      throw .missingDelimiter(frameCount: frames.count)
    }
    let rest = frames[(split + 1)...]
    guard rest.count >= 5 else { throw .tooFewFrames(rest.count) }
    let sig = rest[rest.startIndex]
    let json = Array(rest[(rest.startIndex + 1)..<(rest.startIndex + 5)])
    guard signer.verify(sig, frames: json) else { throw .badSignature }
    let names = ["header", "parent_header", "metadata", "content"]
    var parsed: [JSON] = []
    for (i, frame) in json.enumerated() {
      do {
        parsed.append(try JSON.parse(frame))
      } catch {
        throw .invalidJSON(frame: names[i], error)
      }
    }
    guard case .object = parsed[0] else { throw .invalidHeader("not an object") }
    guard parsed[0]["msg_type"]?.stringValue != nil else { throw .invalidHeader("no msg_type") }
    guard case .object = parsed[1] else { throw .invalidHeader("parent_header is not an object") }
    let content: JSON
    if case .object = parsed[3] { content = parsed[3] } else { throw .invalidHeader("content is not an object") }
    let metadata: JSON
    if case .object = parsed[2] { metadata = parsed[2] } else { metadata = [:] }
    return Message(
      identities: Array(frames[..<split]), header: parsed[0], parentHeaderFrame: json[1],
      metadata: metadata, content: content,
      buffers: Array(rest.dropFirst(5)), rawHeader: json[0])
  }

  /// The signature frame of a multipart message (the frame after `<IDS|MSG>`), if any.
  static func signature(in frames: [[UInt8]]) -> [UInt8]? {
    guard let split = frames.firstIndex(of: delimiter), split + 1 < frames.count else { return nil }
    return frames[split + 1]
  }

  /// Encodes and signs a message (buffers are sent but not signed).
  func encode(_ message: Message) -> [[UInt8]] {
    let json = [
      message.rawHeader ?? message.header.serialized(), message.parentHeaderFrame,
      message.metadata.serialized(), message.content.serialized(),
    ]
    return message.identities + [WireCodec.delimiter, signer.signature(json)] + json + message.buffers
  }
}
