import VigilModelCore

/// What the narrative adapter may know about a patient: age (top-coded at 90), sex, the latest measurements
/// with how many hours ago they were taken, and the score results.
///
/// The type has no place for a pseudonym, an event id, a date or free text, so none can reach a prompt;
/// names and units are reduced to a short safe alphabet when rendered.
public struct PatientSummary: Sendable, Hashable {
    public struct Measurement: Sendable, Hashable {
        /// e.g. `respiratory rate`, `creatinine`.
        public var name: String
        public var value: Double
        /// UCUM as ingest normalises it, e.g. `/min`, `mm[Hg]`, `mg/dL`.
        public var unit: String
        public var hoursAgo: Double

        public init(name: String, value: Double, unit: String, hoursAgo: Double) {
            self.name = name
            self.value = value
            self.unit = unit
            self.hoursAgo = hoursAgo
        }
    }

    public struct Score: Sendable, Hashable {
        /// e.g. `news2`.
        public var name: String
        public var value: Double
        public var band: String?
        /// Points per input, e.g. `news2.rr: 3`.
        public var parts: [String: Double]

        public init(name: String, value: Double, band: String?, parts: [String: Double]) {
            self.name = name
            self.value = value
            self.band = band
            self.parts = parts
        }

        public init(_ record: RiskRecord) {
            self.init(name: record.scoreName, value: record.value, band: record.band, parts: record.parts)
        }

        public init(_ result: ScoreResult) {
            self.init(
                name: result.name, value: Double(result.value), band: result.band,
                parts: result.parts.mapValues(Double.init))
        }
    }

    /// 0...90, where 90 means 90 or older (Safe Harbor).
    public let ageYears: Int?
    public let sex: AdministrativeSex?
    public let measurements: [Measurement]
    public let scores: [Score]

    public init(ageYears: Int?, sex: AdministrativeSex?, measurements: [Measurement], scores: [Score]) {
        self.ageYears = ageYears.map { min(max($0, 0), 90) }
        self.sex = sex
        self.measurements = measurements
        self.scores = scores
    }

    /// The user message: one fact a line, in a fixed order, so the same state gives the same prompt.
    public var promptText: String {
        var lines: [String] = []
        lines.append("Age: " + (ageYears.map { $0 >= 90 ? "90 or older" : "\($0) years" } ?? "unknown"))
        lines.append("Sex: \(sex?.rawValue ?? "unknown")")
        lines.append("Latest measurements:")
        lines += NarrativeText.measurements(self).map { "- \($0)" }
        lines.append("Early-warning scores:")
        lines += scores.map { "- \(NarrativeText.score($0, allParts: true))" }
        return lines.joined(separator: "\n")
    }
}
