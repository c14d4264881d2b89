import Foundation
import Testing
import VigilModelCore

@Suite struct HexTests {
    @Test func everyByteMatchesFoundationsFormatting() {
        let bytes = (0...255).map(UInt8.init)
        #expect(Hex.encode(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(Hex.encode([]) == "")
    }

    @Test func randomHasTheRequestedLengthAndVaries() {
        let samples = (0..<50).map { _ in Hex.random(bytes: 16) }
        #expect(samples.allSatisfy { $0.utf8.count == 32 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(samples).count == samples.count)
        #expect(Hex.random(bytes: 3).count == 6)
    }
}
