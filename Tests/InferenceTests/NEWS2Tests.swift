import Inference
import Testing

/// NEWS2 against the RCP 2017 chart, written out by hand: every band edge of every parameter.
@Suite struct NEWS2Tests {
    /// Normal values (0 points each) to vary one parameter against.
    static let normal = VitalSigns(
        respiratoryRate: 16, spo2: 97, onOxygen: false, systolic: 120, heartRate: 70, consciousness: .alert,
        temperature: 37.0)

    static func points(_ part: String, _ change: (inout VitalSigns) -> Void) -> Int? {
        var vitals = normal
        change(&vitals)
        return NEWS2.score(vitals).parts[part]
    }

    @Test func eachPartCarriesTheValueItWasScoredFrom() {
        var vitals = Self.normal
        vitals.respiratoryRate = 28
        vitals.onOxygen = true
        let score = NEWS2.score(vitals)
        #expect(score.parts["news2.rr"] == 3 && score.observed["news2.rr"] == 28)
        #expect(score.observed["news2.o2"] == 1 && score.observed["news2.spo2"] == 97 && score.observed["news2.temp"] == 37)
        #expect(score.observed["news2.acvpu"] == nil, "a level of consciousness is not a number")
        vitals.heartRate = nil
        #expect(NEWS2.score(vitals).observed["news2.hr"] == nil, "missing inputs have no value")
    }

    @Test(arguments: [(8.0, 3), (9, 1), (11, 1), (12, 0), (20, 0), (21, 2), (24, 2), (25, 3), (40, 3), (4, 3)])
    func respirationRate(rr: Double, expected: Int) {
        #expect(Self.points("news2.rr") { $0.respiratoryRate = rr } == expected)
    }

    @Test(arguments: [(91.0, 3), (92, 2), (93, 2), (94, 1), (95, 1), (96, 0), (100, 0), (85, 3), (95.5, 0), (95.4, 1)])
    func spo2Scale1(spo2: Double, expected: Int) {
        #expect(Self.points("news2.spo2") { $0.spo2 = spo2 } == expected)
    }

    @Test(arguments: [
        (83.0, false, 3), (84, false, 2), (85, false, 2), (86, false, 1), (87, false, 1), (88, false, 0), (92, false, 0),
        (93, false, 0), (99, false, 0), (92, true, 0), (93, true, 1), (94, true, 1), (95, true, 2), (96, true, 2),
        (97, true, 3), (100, true, 3),
    ])
    func spo2Scale2(spo2: Double, onOxygen: Bool, expected: Int) {
        #expect(Self.points("news2.spo2") {
            $0.spo2Scale2 = true
            $0.spo2 = spo2
            $0.onOxygen = onOxygen
        } == expected)
    }

    @Test(arguments: [(90.0, 3), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (220, 3)])
    func systolic(sbp: Double, expected: Int) {
        #expect(Self.points("news2.sbp") { $0.systolic = sbp } == expected)
    }

    @Test(arguments: [(40.0, 3), (41, 1), (50, 1), (51, 0), (90, 0), (91, 1), (110, 1), (111, 2), (130, 2), (131, 3)])
    func pulse(hr: Double, expected: Int) {
        #expect(Self.points("news2.hr") { $0.heartRate = hr } == expected)
    }

    @Test(arguments: [
        (35.0, 3), (35.1, 1), (36.0, 1), (36.1, 0), (38.0, 0), (38.1, 1), (39.0, 1), (39.1, 2), (41, 2), (34, 3),
        (38.05, 1), (38.04, 0),
    ])
    func temperature(celsius: Double, expected: Int) {
        #expect(Self.points("news2.temp") { $0.temperature = celsius } == expected)
    }

    @Test func oxygenAndConsciousness() {
        #expect(Self.points("news2.o2") { $0.onOxygen = true } == 2)
        #expect(Self.points("news2.o2") { $0.onOxygen = false } == 0)
        #expect(Self.points("news2.acvpu") { $0.consciousness = .alert } == 0)
        for level in [Consciousness.newConfusion, .voice, .pain, .unresponsive] {
            #expect(Self.points("news2.acvpu") { $0.consciousness = level } == 3)
        }
    }

    @Test func totalsAndBands() {
        #expect(NEWS2.score(Self.normal).value == 0)
        #expect(NEWS2.score(Self.normal).band == "low")
        // A single red parameter: low-medium, even though the total is 3.
        var red = Self.normal
        red.respiratoryRate = 26
        #expect(NEWS2.score(red).value == 3 && NEWS2.score(red).band == "low-medium")
        // RR 22 (2) + SpO2 94 (1) + O2 (2) = 5: medium.
        var medium = Self.normal
        medium.respiratoryRate = 22
        medium.spo2 = 94
        medium.onOxygen = true
        #expect(NEWS2.score(medium).value == 5 && NEWS2.score(medium).band == "medium")
        // RR 26 (3) + SpO2 91 (3) + O2 (2) + HR 115 (2) + T 39.2 (2) = 12: high.
        let sick = VitalSigns(
            respiratoryRate: 26, spo2: 91, onOxygen: true, systolic: 120, heartRate: 115, consciousness: .alert,
            temperature: 39.2)
        #expect(NEWS2.score(sick).value == 12 && NEWS2.score(sick).band == "high")
    }

    @Test func missingInputsGiveALowerAndAnUpperBound() {
        let partial = VitalSigns(respiratoryRate: 22, heartRate: 95)
        let result = NEWS2.score(partial)
        #expect(result.value == 3)  // RR 2 + HR 1
        #expect(Set(result.missing) == ["news2.spo2", "news2.o2", "news2.sbp", "news2.acvpu", "news2.temp"])
        #expect(result.upperBound == 3 + 3 + 2 + 3 + 3 + 3)
        #expect(!result.complete)
        #expect(NEWS2.score(Self.normal).complete)
    }
}
