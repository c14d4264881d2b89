import Foundation
import VigilModelCore

/// What one model did in one window, as monitoring reads it: every decision on its records and every
/// episode it opened, with what people did about them.
public struct SafetyInput: Sendable {
    public struct Decision: Hashable, Sendable {
        public var patient: Pseudonym
        public var value: Double
        /// Clinical time of the record (for outcome labels), else when it was decided.
        public var time: Date

        public init(patient: Pseudonym, value: Double, time: Date) {
            self.patient = patient
            self.value = value
            self.time = time
        }
    }

    public struct Episode: Hashable, Sendable {
        public var patient: Pseudonym
        public var openedAt: Date
        /// Clinical time of the record that opened it, for outcome matching.
        public var openedClinical: Date?
        public var ackedAt: Date?
        public var overrideCode: String?

        public init(patient: Pseudonym, openedAt: Date, openedClinical: Date? = nil, ackedAt: Date? = nil, overrideCode: String? = nil) {
            self.patient = patient
            self.openedAt = openedAt
            self.openedClinical = openedClinical
            self.ackedAt = ackedAt
            self.overrideCode = overrideCode
        }
    }

    public var decisions: [Decision]
    public var episodes: [Episode]
    /// Confirmed onsets of the model's condition (clinical time), for PPV and calibration.
    public var onsets: [Pseudonym: Date]

    public init(decisions: [Decision], episodes: [Episode], onsets: [Pseudonym: Date] = [:]) {
        self.decisions = decisions
        self.episodes = episodes
        self.onsets = onsets
    }

    /// The same window restricted to some patients (a cohort).
    public func only(_ patients: Set<Pseudonym>) -> SafetyInput {
        SafetyInput(
            decisions: decisions.filter { patients.contains($0.patient) },
            episodes: episodes.filter { patients.contains($0.patient) },
            onsets: onsets.filter { patients.contains($0.key) })
    }
}

/// One window's post-market monitoring figures for one model and cohort (EU AI Act Art. 72).
public struct SafetyFigures: Hashable, Sendable, Codable {
    public var records: Int
    public var patients: Int
    /// Distinct (patient, UTC day) pairs with a record: monitored patient-days without needing a full ADT feed.
    public var patientDays: Int
    public var alerts: Int
    public var alertsPerPatientDay: Double?
    public var shareOfPatientsAlerted: Double?
    public var acknowledged: Int
    public var overridden: Int
    public var acknowledgeRate: Double?
    public var overrideRate: Double?
    public var overridesByReason: [String: Int]
    public var medianSecondsToAcknowledge: Double?
    public var scoreMean: Double?
    /// Population stability index of the scores against the reference bins (nil without a reference).
    public var psi: Double?
    /// Alerts whose patient had a confirmed onset within 48 h after (or 3 h before) the alert opened.
    public var ppv: Double?
    /// Per reference bin: mean score and observed rate of a record at most 6 h before onset or later
    /// (the challenge's label). Only for probability scores with outcomes known.
    public var calibration: [CalibrationBin]?

    public struct CalibrationBin: Hashable, Sendable, Codable {
        public var records: Int
        public var meanScore: Double
        public var observedRate: Double
    }

    public init(_ input: SafetyInput, reference: ScoreReference?, probability: Bool, window: OutcomeWindow = .init()) {
        records = input.decisions.count
        let patientsSeen = Set(input.decisions.map(\.patient))
        patients = patientsSeen.count
        patientDays = Set(input.decisions.map { "\($0.patient.rawValue)/\(Self.day($0.time))" }).count
        alerts = input.episodes.count
        alertsPerPatientDay = patientDays > 0 ? Double(alerts) / Double(patientDays) : nil
        shareOfPatientsAlerted = patients > 0 ? Double(Set(input.episodes.map(\.patient)).count) / Double(patients) : nil
        acknowledged = input.episodes.filter { $0.ackedAt != nil }.count
        overridden = input.episodes.filter { $0.overrideCode != nil }.count
        acknowledgeRate = alerts > 0 ? Double(acknowledged) / Double(alerts) : nil
        overrideRate = alerts > 0 ? Double(overridden) / Double(alerts) : nil
        overridesByReason = input.episodes.reduce(into: [:]) { counts, e in
            if let code = e.overrideCode { counts[code, default: 0] += 1 }
        }
        medianSecondsToAcknowledge = ShadowFigures.median(
            input.episodes.compactMap { e in e.ackedAt.map { $0.timeIntervalSince(e.openedAt) } })
        let values = input.decisions.map(\.value)
        scoreMean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        psi = reference.flatMap { $0.psi(values) }
        ppv = nil
        calibration = nil
        guard !input.onsets.isEmpty else { return }
        if alerts > 0 {
            let counting = input.episodes.filter { e in
                input.onsets[e.patient].map { window.counts(e.openedClinical ?? e.openedAt, onset: $0) } ?? false
            }
            ppv = Double(counting.count) / Double(alerts)
        }
        if probability, let reference {
            calibration = reference.calibration(input.decisions.map { d in
                (d.value, input.onsets[d.patient].map { d.time >= $0.addingTimeInterval(-6 * 3600) } ?? false)
            })
        }
    }

    static func day(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 86400).rounded(.down)) }
}
