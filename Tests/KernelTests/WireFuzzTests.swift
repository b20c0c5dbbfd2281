import Testing

@testable import Kernel

/// Random and mutated input never crashes the decoder or the JSON parser; it is rejected or
/// decoded, nothing else. Seeded, so a failure reproduces.
@Suite struct WireFuzzTests {
  struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    mutating func bytes(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: next()) } }
  }

  @Test func mutatedJSONNeverCrashes() {
    var rng = SplitMix(state: 1)
    let seeds = [
      #"{"msg_id":"a","msg_type":"execute_request","date":"2026-01-01T00:00:00Z"}"#,
      #"{"code":"print \"x\"","silent":false,"user_expressions":{"a":"b"},"n":[1,2.5e-3,-7]}"#,
      #"["\ud83d\ude00",{"k":null,"t":true,"f":false}]"#,
    ].map { Array($0.utf8) }
    var parsed = 0
    for _ in 0..<3000 {
      var text = seeds[rng.below(seeds.count)]
      for _ in 0...rng.below(4) {
        let i = rng.below(text.count)
        switch rng.below(3) {
        case 0: text[i] = UInt8(truncatingIfNeeded: rng.next())
        case 1: text.remove(at: i)
        default: text.insert(contentsOf: rng.bytes(rng.below(4) + 1), at: i)
        }
      }
      if let value = try? JSON.parse(text) {
        parsed += 1
        // Whatever parses must serialise and parse back to the same value.
        #expect((try? JSON.parse(value.serialized())) == value)
      }
    }
    #expect(parsed > 0)
  }

  @Test func randomFramesAreRejectedNotFatal() throws {
    var rng = SplitMix(state: 2)
    let codec = WireCodec(signer: try Signer(key: Array("k".utf8)))
    let valid = codec.encode(request("kernel_info_request"))
    var accepted = 0
    for round in 0..<2000 {
      var frames: [[UInt8]]
      if round % 2 == 0 {
        frames = (0..<rng.below(9)).map { _ in rng.bytes(rng.below(40)) }
        if rng.below(2) == 0 { frames.insert(WireCodec.delimiter, at: rng.below(frames.count + 1)) }
      } else {
        frames = valid
        let f = rng.below(frames.count)
        if !frames[f].isEmpty, rng.below(3) > 0 {
          frames[f][rng.below(frames[f].count)] ^= UInt8(1 + rng.below(255))
        } else {
          frames.remove(at: f)
        }
      }
      if (try? codec.decode(frames)) != nil { accepted += 1 }
    }
    // Only mutations of the identity frame (not signed) may still decode.
    #expect(accepted < 400)
  }
}
