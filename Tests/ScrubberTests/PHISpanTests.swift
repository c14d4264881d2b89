import DeidScrubber
import Testing

@Suite struct PHISpanTests {
    @Test func typesUseTheScorersNames() {
        #expect(
            Set(PHIType.allCases.map(\.rawValue)).isSuperset(of: ["NAME", "DATE", "ID", "LOCATION", "PHONE", "EMAIL"]))
    }
}
