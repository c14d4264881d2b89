import Foundation
import Notification
import Testing
import VigilModelCore

/// Monitoring figures on a small set checked by hand (the expected numbers below were worked out on paper
/// from the four patients, not produced by the code).
@Suite struct SafetyFiguresTests {
    static func patient(_ name: String) -> Pseudonym {
        try! Pseudonym.derive(assigningAuthority: "T", patientID: name, key: Array(repeating: 1, count: 32), keyID: "k1")
    }

    static let day0 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00Z
    static func at(_ day: Int, _ hour: Double) -> Date { day0.addingTimeInterval(Double(day) * 86400 + hour * 3600) }

    // P1 65-79 female, P2 40-64 male, P3 65-79 female, P4 18-39 male.
    static let (p1, p2, p3, p4) = (patient("P1"), patient("P2"), patient("P3"), patient("P4"))

    static let input = SafetyInput(
        decisions: [
            .init(patient: p1, value: 0.1, time: at(0, 1)), .init(patient: p1, value: 0.2, time: at(0, 2)),
            .init(patient: p1, value: 0.3, time: at(0, 3)), .init(patient: p1, value: 0.4, time: at(1, 1)),
            .init(patient: p2, value: 0.0, time: at(0, 5)), .init(patient: p2, value: 0.0, time: at(0, 6)),
            .init(patient: p3, value: 0.9, time: at(0, 7)),
            .init(patient: p4, value: 0.5, time: at(0, 8)), .init(patient: p4, value: 0.5, time: at(1, 8)),
        ],
        episodes: [
            .init(patient: p1, openedAt: at(0, 3), ackedAt: at(0, 3).addingTimeInterval(600)),
            .init(patient: p3, openedAt: at(0, 7), overrideCode: "patient-not-at-risk"),
            .init(patient: p3, openedAt: at(0, 9), ackedAt: at(0, 9).addingTimeInterval(120)),
        ],
        onsets: [p3: at(0, 17)])

    static let reference = ScoreReference(edges: [0.25, 0.5], proportions: [0.5, 0.25, 0.25])

    @Test func everyoneAndEachCohort() throws {
        let all = SafetyFigures(Self.input, reference: Self.reference, probability: true)
        #expect(all.records == 9 && all.patients == 4 && all.patientDays == 6)
        #expect(all.alerts == 3 && all.alertsPerPatientDay == 0.5 && all.shareOfPatientsAlerted == 0.5)
        #expect(all.acknowledged == 2 && all.overridden == 1)
        #expect(all.acknowledgeRate == 2.0 / 3 && all.overrideRate == 1.0 / 3)
        #expect(all.overridesByReason == ["patient-not-at-risk": 1])
        #expect(all.medianSecondsToAcknowledge == 360)
        #expect(abs(all.scoreMean! - 2.9 / 9) < 1e-12)
        // Shares 4/9, 2/9, 3/9 against 0.5, 0.25, 0.25.
        #expect(abs(all.psi! - 0.033788759009013694) < 1e-12)
        // Both of P3's alerts are within 48 h before its onset; P1's alert has no outcome.
        #expect(all.ppv == 2.0 / 3)
        // Calibration: bin 1 holds 0.1, 0.2, 0.0, 0.0 (none within 6 h of P3's onset).
        let first = try #require(all.calibration?.first)
        #expect(first.records == 4 && abs(first.meanScore - 0.075) < 1e-12 && first.observedRate == 0)
        // The top bin: 0.9 (P3, 10 h before onset: not yet within 6 h), 0.5 and 0.5 (P4, no outcome).
        #expect(all.calibration?.last?.records == 3 && all.calibration?.last?.observedRate == 0)

        let female = SafetyFigures(Self.input.only([Self.p1, Self.p3]), reference: Self.reference, probability: true)
        #expect(female.records == 5 && female.patients == 2 && female.patientDays == 3)
        #expect(female.alerts == 3 && female.alertsPerPatientDay == 1 && female.shareOfPatientsAlerted == 1)
        #expect(female.ppv == 2.0 / 3 && female.medianSecondsToAcknowledge == 360)

        let male = SafetyFigures(Self.input.only([Self.p2, Self.p4]), reference: Self.reference, probability: true)
        #expect(male.records == 4 && male.patientDays == 3 && male.alerts == 0)
        #expect(male.alertsPerPatientDay == 0 && male.shareOfPatientsAlerted == 0)
        #expect(male.overrideRate == nil && male.ppv == nil, "no alerts, no rates; no outcome among them")

        // Female patients are alerted twice as often per patient-day as everyone: a warning once 3 patient-days count.
        var thresholds = MonitoringThresholds()
        #expect(thresholds.crossings(female, cohort: "sex:female", all: all).isEmpty, "3 patient-days are too few by default")
        thresholds.minimumPatientDays = 3
        let found = thresholds.crossings(female, cohort: "sex:female", all: all)
        #expect(found.map(\.0) == ["alert_rate_ratio"] && found.first?.1 == 2)
        #expect(thresholds.crossings(male, cohort: "sex:male", all: all).isEmpty)
        // PSI needs a sample: 9 records never raise drift, however far they moved.
        var drifted = all
        drifted.psi = 3
        #expect(!thresholds.crossings(drifted, cohort: Cohort.all, all: all).contains { $0.0 == "psi" })
        thresholds.minimumRecordsForDrift = 9
        #expect(thresholds.crossings(drifted, cohort: Cohort.all, all: all).contains { $0.0 == "psi" && $0.3 == .critical })
    }

    @Test func psiIsZeroAgainstItselfAndLargeForAShift() throws {
        let base = (0..<200).map { Double($0 % 10) }
        let reference = try #require(ScoreReference(baseline: base))
        #expect(abs(reference.psi(base)!) < 1e-9)
        #expect(reference.psi(base.map { $0 + 4 })! > 0.25)
        #expect(ScoreReference(baseline: [1, 2, 3]) == nil, "too few values for deciles")
    }

    @Test func ageBands() {
        #expect([nil, 5, 18, 39, 40, 64, 65, 79, 80, 90].map(Cohort.ageBand) == [nil, "0-17", "18-39", "18-39", "40-64", "40-64", "65-79", "65-79", "80+", "80+"])
    }
}
