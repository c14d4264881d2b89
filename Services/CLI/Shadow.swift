import ArgumentParser
import Foundation
import Inference
import Notification
import VigilModelCore

/// `vigil shadow`: re-runs stored risk records through a candidate model and/or alert policy, next to the
/// production configuration, and reports burden, PPV, sensitivity, lead time and the episodes that differ.
/// Nothing is notified; the report is what a policy change proposal carries.
struct Shadow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay stored risk records through a candidate model or policy; report the alert diff.",
        discussion: """
            Example: vigil shadow --window 2026-11-01..2026-11-25 --model sepsis-lgbm@1.0.0 \\
                       --policy candidate.yaml --out shadow-report
            The window selects records by when infer stored them (FROM..TO, ISO 8601 dates or times, either end may
            be empty). Production is the active models' records under the production policy.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "FROM..TO, ISO 8601 (e.g. 2026-11-01..2026-11-25T12:00:00Z); `..` for everything.")
    var window: String
    @Option(help: "Candidate model id or id@version (default: the production models).") var model: String?
    @Option(help: "Candidate alert policy YAML (default: the production policy).") var policy: String?
    @Option(
        help: """
            A sepsis model folder (model.json, metadata.json) to score the stored de-identified observations with,             for a version that never ran live; it becomes the candidate model.
            """)
    var candidateModel: String?
    @Option(help: "Production alert policy YAML (env VIGIL_NOTIFY_POLICY; default: config/notify/alert-policy.yaml).")
    var productionPolicy = ProcessInfo.processInfo.environment["VIGIL_NOTIFY_POLICY"] ?? "config/notify/alert-policy.yaml"
    @Option(help: "Folder for report.json and report.md.") var out: String?

    func run() async throws {
        let (from, to) = try Self.window(window)
        guard model == nil || ModelSelector(model!) != nil else { throw ValidationError("--model must be ID or ID@VERSION") }
        let production = try Self.policy(productionPolicy, fallback: true)
        let candidate = try policy.map { try Self.policy($0, fallback: false) } ?? production
        let report = try await connection.withPool(size: 1) { pool in
            let source = ShadowSource(pool: pool)
            var records = try await source.records(from: from, to: to)
            var selector = model.flatMap(ModelSelector.init)
            if let candidateModel {
                let candidate = try SepsisModel(directory: URL(fileURLWithPath: candidateModel))
                let reference = candidate.reference
                // Its records come from the observations, not from what infer may have stored for it.
                records.removeAll { $0.model.id == reference.id && $0.model.version == reference.version }
                records += try await SepsisRescorer(model: candidate, pool: pool).records(from: from, to: to)
                selector = ModelSelector("\(reference.id)@\(reference.version)")
            }
            let conditions = Set(production.conditions.map(\.id) + candidate.conditions.map(\.id)).sorted()
            let onsets = try await source.onsets(for: records, conditions: conditions)
            return try ShadowReport.make(
                records: records, onsets: onsets, production: production, candidate: candidate,
                model: selector, windowFrom: from, windowTo: to)
        }
        let markdown = report.markdown()
        if let out {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try Data(try VigilJSON.encode(report)).write(to: URL(fileURLWithPath: "\(out)/report.json"))
            try Data(markdown.utf8).write(to: URL(fileURLWithPath: "\(out)/report.md"))
            print("wrote \(out)/report.json and \(out)/report.md")
        }
        print(markdown)
    }

    static func policy(_ path: String, fallback: Bool) throws -> AlertPolicy {
        do {
            if fallback && !FileManager.default.fileExists(atPath: path) { return try AlertPolicyLoader.builtIn() }
            return try AlertPolicyLoader.load(path: path)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `FROM..TO` with optional ends; a bare date means its midnight UTC.
    static func window(_ text: String) throws -> (Date?, Date?) {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2 else { throw ValidationError("--window must be FROM..TO (e.g. 2026-11-01..2026-11-25)") }
        func date(_ part: String) throws -> Date? {
            if part.isEmpty { return nil }
            let full = ISO8601DateFormatter()
            if let value = full.date(from: part) { return value }
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            if let value = day.date(from: part) { return value }
            throw ValidationError("--window: '\(part)' is not an ISO 8601 date or time")
        }
        let (from, to) = (try date(parts[0]), try date(parts[1]))
        if let from, let to, from >= to { throw ValidationError("--window: FROM must be before TO") }
        return (from, to)
    }
}
