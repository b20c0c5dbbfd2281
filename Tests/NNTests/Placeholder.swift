import Testing
@testable import NN
@Test func version() { #expect(!NNInfo.version.isEmpty) }
