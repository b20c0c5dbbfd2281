import Testing

@testable import Kernel

@Suite struct JSONTests {
  @Test(arguments: [
    ("{}", JSON.object([:])),
    ("[1, -2, 3.5, 1e3]", JSON.array([.int(1), .int(-2), .double(3.5), .double(1000)])),
    (#"{"a": [true, false, null]}"#, JSON.object(["a": .array([.bool(true), .bool(false), .null])])),
    (#""\u00e9\ud83d\ude00\n\t\"\\/""#, JSON.string("é😀\n\t\"\\/")),
    ("  \"x\"  ", JSON.string("x")),
  ])
  func parses(text: String, expected: JSON) throws {
    #expect(try JSON.parse(text) == expected)
  }

  @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "{} x", "01x", "\"\u{01}\"", "-"])
  func rejects(text: String) {
    #expect(throws: JSONParseError.self) { try JSON.parse(text) }
  }

  @Test func rejectsInvalidUTF8() {
    #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xFF, 0xFE, 0x22]) }
  }

  @Test func serialisesCompactlyWithSortedKeysAndEscapes() {
    let value: JSON = ["b": 1, "a": ["x\n\"y\u{01}", 2.5, .null, true]]
    #expect(value.text == #"{"a":["x\n\"y\u0001",2.5,null,true],"b":1}"#)
  }

  @Test func roundTripsThroughText() throws {
    let value: JSON = ["text": "héllo 😀", "n": -17, "f": 0.125, "nested": ["k": [1, [2, [3]]]]]
    #expect(try JSON.parse(value.serialized()) == value)
  }

  @Test func deepNestingIsRefusedNotACrash() {
    let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
    #expect(throws: JSONParseError.tooDeep) { try JSON.parse(text) }
  }
}
