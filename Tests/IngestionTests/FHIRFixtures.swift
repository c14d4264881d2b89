import Foundation
import Ingestion
import Testing

/// Locates the FHIR R4 fixtures from this file's path (`<repo>/Tests/IngestionTests/…`) and reads them with
/// plain Foundation, independently of the code under test.
enum FHIRFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let root = repository.appendingPathComponent("Tests/Fixtures/fhir_r4")
    /// `<repo>/../shared/data/fhir_r4/synthea`: the full Synthea corpus, when present.
    static let sharedSynthea = repository.deletingLastPathComponent().appendingPathComponent(
        "shared/data/fhir_r4/synthea")

    struct ManifestRow: Sendable, CustomTestStringConvertible {
        let path: String
        let resourceType: String
        let note: String

        var testDescription: String { path }
        var url: URL { FHIRFixtures.root.appendingPathComponent(path) }
        var isInvalid: Bool { note.hasPrefix("INVALID") }
    }

    /// Rows of `fhir_server_MANIFEST.tsv` (`dest`, `src`, `resourceType`, `note`).
    static let manifest: [ManifestRow] = {
        let url = root.appendingPathComponent("fhir_server_MANIFEST.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 4 else { return nil }
            return ManifestRow(path: columns[0], resourceType: columns[2], note: columns[3])
        }
    }()

    static func bytes(_ url: URL) -> [UInt8] {
        (try? Data(contentsOf: url)).map(Array.init) ?? []
    }

    static func json(_ bytes: [UInt8]) -> [String: Any] {
        var data = Data(bytes)
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    static func data(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    /// The Synthea bundles checked into the repository.
    static var fixtureSynthea: [URL] { jsonFiles(in: root.appendingPathComponent("synthea")) }

    /// The fixture bundles plus, when present, every bundle of the shared corpus.
    static var allSynthea: [URL] { fixtureSynthea + jsonFiles(in: sharedSynthea) }

    static func jsonFiles(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func contentType(for url: URL) -> String {
        switch url.pathExtension {
        case "xml": "application/fhir+xml"
        case "ndjson": "application/fhir+ndjson"
        default: "application/fhir+json"
        }
    }

    /// The `OperationOutcome` of a rejection as a string, for canary searches.
    static func outcomeText(_ result: FHIRIntakeResult) -> String {
        switch result {
        case .rejected(let rejection): String(decoding: rejection.outcome.jsonBytes(), as: UTF8.self)
        case .accepted(let acceptance): String(decoding: acceptance.outcome.jsonBytes(), as: UTF8.self)
        }
    }
}
