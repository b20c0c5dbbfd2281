import Foundation
import Testing

@testable import Kernel

@Suite struct SignerTests {
  /// RFC 4231 test case 2, split across the four "frames" (HMAC covers their concatenation).
  @Test func knownHMACSHA256Vector() throws {
    let signer = try Signer(key: Array("Jefe".utf8))
    let frames = ["what do ", "ya want ", "for ", "nothing?"].map { Array($0.utf8) }
    let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    #expect(String(decoding: signer.signature(frames), as: UTF8.self) == expected)
    #expect(signer.verify(Array(expected.utf8), frames: frames))
    #expect(signer.verify(Array(expected.uppercased().utf8), frames: frames))
  }

  /// RFC 4231 test case 1 (20 × 0x0b key, "Hi There").
  @Test func secondVector() throws {
    let signer = try Signer(key: [UInt8](repeating: 0x0B, count: 20))
    let sig = signer.signature([Array("Hi There".utf8), [], [], []])
    #expect(
      String(decoding: sig, as: UTF8.self)
        == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
  }

  @Test func rejectsWrongMissingAndTruncatedSignatures() throws {
    let signer = try Signer(key: Array("secret".utf8))
    let frames = [Array("{}".utf8), Array("{}".utf8), Array("{}".utf8), Array("{}".utf8)]
    let good = signer.signature(frames)
    #expect(!signer.verify([], frames: frames))
    #expect(!signer.verify(Array(good.dropLast()), frames: frames))
    var flipped = good
    flipped[0] = flipped[0] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
    #expect(!signer.verify(flipped, frames: frames))
    #expect(!signer.verify(good, frames: [Array("{ }".utf8)] + frames.dropFirst()))
  }

  @Test func emptyKeyMeansNoSigning() throws {
    let signer = try Signer(key: [])
    #expect(signer.signature([[1], [2], [3], [4]]).isEmpty)
    #expect(signer.verify([], frames: [[1], [2], [3], [4]]))
  }

  @Test(arguments: ["sha256", "hmac-nope", "hmac-"])
  func unsupportedSchemes(scheme: String) {
    #expect(throws: SignerError.unsupportedScheme(scheme)) { try Signer(key: [1], scheme: scheme) }
  }

  @Test func otherDigestsWork() throws {
    let signer = try Signer(key: Array("k".utf8), scheme: "hmac-sha512")
    #expect(signer.signature([[1], [], [], []]).count == 128)
  }
}

@Suite struct WireCodecTests {
  let codec = WireCodec(signer: try! Signer(key: Array("key".utf8)))  // test-only fixture
  let factory = MessageFactory()

  @Test func roundTrip() throws {
    let req = request("execute_request", ["code": "print \"x\"", "silent": false])
    var message = factory.reply(to: req, type: "execute_reply", content: ["status": "ok", "execution_count": 3])
    message.buffers = [[1, 2, 3]]
    let frames = codec.encode(message)
    #expect(frames[0] == Array("client-id".utf8))
    #expect(frames[1] == WireCodec.delimiter)
    let decoded = try codec.decode(frames)
    #expect(decoded.identities == message.identities)
    #expect(decoded.header == message.header)
    #expect(decoded.content == message.content)
    #expect(decoded.parentHeaderFrame == req.rawHeader)
    #expect(decoded.buffers == [[1, 2, 3]])
  }

  @Test func buffersAreNotSigned() throws {
    var frames = codec.encode(factory.broadcast("status", content: ["execution_state": "idle"], parent: nil))
    frames.append([9, 9, 9])
    #expect(try codec.decode(frames).buffers == [[9, 9, 9]])
  }

  @Test func signatureCoversFramesAsReceived() throws {
    // Same JSON, different bytes: re-serialising would accept it; checking raw frames must not.
    var frames = codec.encode(request("kernel_info_request"))
    let i = frames.firstIndex(of: WireCodec.delimiter)! + 4
    frames[i] = Array("{ }".utf8)
    #expect(throws: WireError.badSignature) { try codec.decode(frames) }
  }

  @Test func rejectsMalformedMessages() throws {
    let good = codec.encode(request("kernel_info_request"))
    let d = good.firstIndex(of: WireCodec.delimiter)!
    var noSig = good
    noSig[d + 1] = []
    #expect(throws: WireError.badSignature) { try codec.decode(noSig) }
    #expect(throws: WireError.missingDelimiter(frameCount: 2)) { try codec.decode([[1, 2], [3]]) }
    #expect(throws: WireError.tooFewFrames(3)) { try codec.decode(Array(good.prefix(d + 4))) }

    func signed(_ header: String, content: String = "{}") -> [[UInt8]] {
      let json = [header, "{}", "{}", content].map { Array($0.utf8) }
      return [WireCodec.delimiter, codec.signer.signature(json)] + json
    }
    #expect(throws: WireError.self) { try codec.decode(signed("{oops")) }
    #expect(throws: WireError.invalidHeader("not an object")) { try codec.decode(signed("[1]")) }
    #expect(throws: WireError.invalidHeader("no msg_type")) { try codec.decode(signed(#"{"msg_id":"1"}"#)) }
    #expect(throws: WireError.invalidHeader("content is not an object")) {
      try codec.decode(signed(#"{"msg_type":"x"}"#, content: "[]"))
    }
    // Lenient: a header without date/version and with extra keys is accepted.
    let lenient = try codec.decode(signed(#"{"msg_type":"kernel_info_request","subshell_id":null}"#))
    #expect(lenient.msgType == "kernel_info_request")
  }
}

@Suite struct HeaderTests {
  @Test func datesAreISO8601UTCWithMicroseconds() {
    #expect(ISODate.format(seconds: 0, microseconds: 5) == "1970-01-01T00:00:00.000005Z")
    #expect(ISODate.format(seconds: 1_795_000_000, microseconds: 999_999) == "2026-11-18T11:06:40.999999Z")
    let now = ISODate.now()
    #expect(now.count == 27 && now.hasSuffix("Z") && now.contains("T"))
  }

  @Test func headersHaveFreshIDsAndOneSession() {
    let factory = MessageFactory()
    let a = factory.header("status")
    let b = factory.header("status")
    #expect(a["msg_id"] != b["msg_id"])
    #expect(a["session"] == b["session"])
    #expect(a["session"]?.stringValue == factory.session)
    for key in ["msg_id", "session", "username", "date", "msg_type", "version"] {
      #expect(a[key]?.stringValue != nil, "header lacks \(key)")
    }
    #expect(a["version"] == .string(MessageFactory.protocolVersion))
  }

  @Test func replyCopiesParentHeaderBytesExactly() {
    let raw = Array(#"{"msg_type": "kernel_info_request", "msg_id": "abc", "weird": [1, 2.50]}"#.utf8)
    let req = Message(
      identities: [[7]], header: (try? JSON.parse(raw)) ?? [:], rawHeader: raw)
    let factory = MessageFactory()
    let reply = factory.reply(to: req, type: "kernel_info_reply", content: [:])
    #expect(reply.parentHeaderFrame == raw)
    #expect(reply.identities == [[7]])
    let child = factory.broadcast("status", content: [:], parent: req)
    #expect(child.parentHeaderFrame == raw)
  }

  @Test(arguments: [
    ("execute_request", "execute_reply"), ("kernel_info_request", "kernel_info_reply"), ("odd", "odd_reply"),
  ])
  func replyTypes(request: String, reply: String) {
    #expect(MessageFactory.replyType(for: request) == reply)
  }
}
