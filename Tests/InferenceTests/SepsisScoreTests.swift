import Foundation
import Inference
import Testing

/// qSOFA, SIRS, MEWS and KDIGO against their published criteria, written out by hand.
@Suite struct SepsisScoreTests {
    @Test func qsofaCriteriaAndEdges() {
        #expect(QSOFA.score(VitalSigns(respiratoryRate: 22, systolic: 100, gcs: 14)).value == 3)
        #expect(QSOFA.score(VitalSigns(respiratoryRate: 21, systolic: 101, gcs: 15)).value == 0)
        #expect(QSOFA.score(VitalSigns(respiratoryRate: 22, systolic: 101, consciousness: .alert)).band == "negative")
        #expect(QSOFA.score(VitalSigns(respiratoryRate: 22, systolic: 99, consciousness: .alert)).band == "positive")
        #expect(QSOFA.score(VitalSigns(respiratoryRate: 10, systolic: 120, consciousness: .newConfusion)).parts["qsofa.mentation"] == 1)
        let partial = QSOFA.score(VitalSigns(respiratoryRate: 30))
        #expect(partial.value == 1 && partial.upperBound == 3 && partial.missing.count == 2)
    }

    @Test func sirsUsesStrictInequalitiesAndEitherArm() {
        #expect(SIRS.score(VitalSigns(respiratoryRate: 20, heartRate: 90, temperature: 38.0, wbc: 12)).value == 0)
        #expect(SIRS.score(VitalSigns(respiratoryRate: 21, heartRate: 91, temperature: 38.1, wbc: 12.1)).value == 4)
        #expect(SIRS.score(VitalSigns(temperature: 35.9)).parts["sirs.temp"] == 1)
        #expect(SIRS.score(VitalSigns(temperature: 36.0)).parts["sirs.temp"] == 0)
        #expect(SIRS.score(VitalSigns(wbc: 3.9)).parts["sirs.wbc"] == 1)
        #expect(SIRS.score(VitalSigns(respiratoryRate: 18, paco2: 31)).parts["sirs.resp"] == 1, "PaCO2 < 32 arm")
        #expect(SIRS.score(VitalSigns(wbc: 8, bandNeutrophils: 11)).parts["sirs.wbc"] == 1, "bands > 10 %")
        let twoOfFour = SIRS.score(VitalSigns(respiratoryRate: 24, heartRate: 110))
        #expect(twoOfFour.band == "positive" && twoOfFour.missing == ["sirs.temp", "sirs.wbc"] && twoOfFour.upperBound == 4)
    }

    @Test(arguments: [
        ("mews.sbp", 70.0, 3), ("mews.sbp", 71, 2), ("mews.sbp", 80, 2), ("mews.sbp", 81, 1), ("mews.sbp", 100, 1),
        ("mews.sbp", 101, 0), ("mews.sbp", 199, 0), ("mews.sbp", 200, 2),
        ("mews.hr", 39, 2), ("mews.hr", 40, 2), ("mews.hr", 41, 1), ("mews.hr", 50, 1), ("mews.hr", 51, 0),
        ("mews.hr", 100, 0), ("mews.hr", 101, 1), ("mews.hr", 110, 1), ("mews.hr", 111, 2), ("mews.hr", 129, 2),
        ("mews.hr", 130, 3),
        ("mews.rr", 8, 2), ("mews.rr", 9, 0), ("mews.rr", 14, 0), ("mews.rr", 15, 1), ("mews.rr", 20, 1),
        ("mews.rr", 21, 2), ("mews.rr", 29, 2), ("mews.rr", 30, 3),
        ("mews.temp", 34.9, 2), ("mews.temp", 35.0, 0), ("mews.temp", 38.4, 0), ("mews.temp", 38.5, 2),
    ])
    func mewsTable(part: String, value: Double, expected: Int) {
        var vitals = VitalSigns()
        switch part {
        case "mews.sbp": vitals.systolic = value
        case "mews.hr": vitals.heartRate = value
        case "mews.rr": vitals.respiratoryRate = value
        default: vitals.temperature = value
        }
        #expect(MEWS.score(vitals).parts[part] == expected)
    }

    @Test func mewsAVPUAndTrigger() {
        #expect(MEWS.score(VitalSigns(consciousness: .voice)).parts["mews.avpu"] == 1)
        #expect(MEWS.score(VitalSigns(consciousness: .pain)).parts["mews.avpu"] == 2)
        #expect(MEWS.score(VitalSigns(consciousness: .unresponsive)).parts["mews.avpu"] == 3)
        #expect(MEWS.score(VitalSigns(consciousness: .newConfusion)).parts["mews.avpu"] == 1)
        // SBP 75 (2) + HR 115 (2) + RR 16 (1) = 5: trigger.
        let trigger = MEWS.score(VitalSigns(respiratoryRate: 16, systolic: 75, heartRate: 115, consciousness: .alert, temperature: 37))
        #expect(trigger.value == 5 && trigger.band == "trigger")
    }

    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static func at(_ hours: Double) -> Date { t0.addingTimeInterval(hours * 3600) }

    @Test func kdigoStagesFromCreatinine() {
        // A rise of exactly 0.3 mg/dL within 48 h: stage 1; 0.29 is not.
        #expect(KDIGO.stage([(Self.at(0), 1.0), (Self.at(40), 1.3)], at: Self.at(40)).value == 1)
        #expect(KDIGO.stage([(Self.at(0), 1.0), (Self.at(40), 1.29)], at: Self.at(40)).value == 0)
        // The same rise over 50 h is outside the 48 h window, and 1.3× is below 1.5×: no AKI.
        #expect(KDIGO.stage([(Self.at(0), 1.0), (Self.at(50), 1.3)], at: Self.at(50)).value == 0)
        // Ratios to the 7-day lowest: 1.5× stage 1, 2.0× stage 2, 3.0× stage 3.
        #expect(KDIGO.stage([(Self.at(0), 0.8), (Self.at(100), 1.2)], at: Self.at(100)).value == 1)
        #expect(KDIGO.stage([(Self.at(0), 0.8), (Self.at(100), 1.6)], at: Self.at(100)).value == 2)
        #expect(KDIGO.stage([(Self.at(0), 0.8), (Self.at(100), 2.4)], at: Self.at(100)).value == 3)
        // A baseline older than 7 days does not count.
        #expect(KDIGO.stage([(Self.at(0), 0.8), (Self.at(24 * 8), 2.4)], at: Self.at(24 * 8)).missing.contains("kdigo.baseline"))
        // ≥ 4.0 mg/dL with an acute rise: stage 3 even below 3×.
        let high = KDIGO.stage([(Self.at(0), 3.5), (Self.at(24), 4.0)], at: Self.at(24))
        #expect(high.value == 3 && high.parts["kdigo.absolute"] == 1)
        // A stable 4.5 is chronic, not AKI.
        #expect(KDIGO.stage([(Self.at(0), 4.5), (Self.at(24), 4.5)], at: Self.at(24)).value == 0)
        let none = KDIGO.stage([], at: Self.at(0))
        #expect(none.missing.contains("kdigo.creatinine") && none.missing.contains("kdigo.urine_output"))
    }
}
