import Foundation
import VigilModelCore

/// How an alert counts against a confirmed outcome: raised at most `earliest` before onset and at most
/// `latest` after it. The defaults follow the sepsis challenge's window of useful predictions (up to 12 h early
/// is best, 3 h late still helps), widened to 48 h early for burden: a page two days ahead is not a false alarm
/// for a patient who then develops sepsis.
public struct OutcomeWindow: Hashable, Sendable, Codable {
    public var earliestHours: Double
    public var latestHours: Double

    public init(earliestHours: Double = 48, latestHours: Double = 3) {
        self.earliestHours = earliestHours
        self.latestHours = latestHours
    }

    public func counts(_ raised: Date, onset: Date) -> Bool {
        raised >= onset.addingTimeInterval(-earliestHours * 3600) && raised <= onset.addingTimeInterval(latestHours * 3600)
    }
}

/// One configuration's figures for one condition.
public struct ShadowFigures: Hashable, Sendable, Codable {
    public var condition: String
    public var episodes: Int
    public var pages: Int
    public var patientsAlerted: Int
    public var patients: Int
    public var patientDays: Double
    public var alertsPer100PatientDays: Double
    /// Outcome figures: nil when no patient in the window has a confirmed outcome of this condition.
    public var outcomePatients: Int
    public var truePositiveEpisodes: Int?
    public var ppv: Double?
    public var sensitivity: Double?
    /// Onset minus the first counting alert, in hours, over the detected patients (negative: after onset).
    public var medianLeadHours: Double?

    /// `exposure`: each patient's monitored span (first to last record, plus the hour the last one covers).
    public init(
        condition: String, episodes all: [ShadowEpisode], exposure: [Pseudonym: Double], onsets: [Pseudonym: Date],
        window: OutcomeWindow
    ) {
        let episodes = all.filter { $0.condition == condition }
        self.condition = condition
        self.episodes = episodes.count
        pages = episodes.reduce(0) { $0 + $1.pages }
        patientsAlerted = Set(episodes.map(\.patient)).count
        patients = exposure.count
        patientDays = exposure.values.reduce(0, +) / 24
        alertsPer100PatientDays = patientDays > 0 ? Double(episodes.count) / patientDays * 100 : 0
        let cases = onsets.filter { exposure[$0.key] != nil }
        outcomePatients = cases.count
        guard !cases.isEmpty else { return }
        let counting = episodes.filter { episode in cases[episode.patient].map { window.counts(episode.openedAt, onset: $0) } ?? false }
        truePositiveEpisodes = counting.count
        ppv = episodes.isEmpty ? nil : Double(counting.count) / Double(episodes.count)
        var leads: [Double] = []
        for (patient, onset) in cases {
            guard let first = counting.filter({ $0.patient == patient }).map(\.openedAt).min() else { continue }
            leads.append(onset.timeIntervalSince(first) / 3600)
        }
        sensitivity = Double(leads.count) / Double(cases.count)
        medianLeadHours = Self.median(leads)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Each patient's monitored hours in the records: last minus first clinical time, plus one hour.
    public static func exposure(_ records: [RiskRecord]) -> [Pseudonym: Double] {
        var span: [Pseudonym: (Date, Date)] = [:]
        for record in records {
            let time = ShadowReplay.clinicalTime(record)
            let (first, last) = span[record.patient] ?? (time, time)
            span[record.patient] = (min(first, time), max(last, time))
        }
        return span.mapValues { $0.1.timeIntervalSince($0.0) / 3600 + 1 }
    }
}

/// Episodes whose alerts differ between the production configuration and the candidate.
public struct ShadowDiff: Hashable, Sendable, Codable {
    public struct Change: Hashable, Sendable, Codable {
        public var patient: Pseudonym
        public var condition: String
        /// `production-only`, `candidate-only` or `changed` (same episode, different severity or pages).
        public var kind: String
        public var production: ShadowEpisode?
        public var candidate: ShadowEpisode?
    }

    public var changes: [Change]

    /// Episodes are the same when the same record opened them (the alert id derives from it).
    public init(production: [ShadowEpisode], candidate: [ShadowEpisode]) {
        let before = Dictionary(production.map { ($0.alertID, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(candidate.map { ($0.alertID, $0) }, uniquingKeysWith: { a, _ in a })
        var changes: [Change] = []
        for id in Set(before.keys).union(after.keys) {
            let old = before[id]
            let new = after[id]
            let kind: String
            switch (old, new) {
            case (nil, _?): kind = "candidate-only"
            case (_?, nil): kind = "production-only"
            case (let o?, let n?) where o.maxSeverity != n.maxSeverity || o.pages != n.pages: kind = "changed"
            default: continue
            }
            let any = (old ?? new)!
            changes.append(Change(patient: any.patient, condition: any.condition, kind: kind, production: old, candidate: new))
        }
        self.changes = changes.sorted {
            ($0.patient.rawValue, ($0.production ?? $0.candidate)!.openedAt)
                < ($1.patient.rawValue, ($1.production ?? $1.candidate)!.openedAt)
        }
    }
}
