import Testing
@testable import DSL
@Test func version() { #expect(!DSLInfo.version.isEmpty) }
