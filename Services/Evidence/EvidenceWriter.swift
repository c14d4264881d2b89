import Foundation

/// Writes a pack into a folder: evidence.json, evidence.md and the SVG plots the Markdown links to.
public enum EvidenceWriter {
    public static let jsonFile = "evidence.json"
    public static let markdownFile = "evidence.md"

    /// Creates `directory` if needed and (over)writes the pack's files in it; returns the paths written.
    @discardableResult
    public static func write(_ pack: EvidencePack, to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let monitoring = EvidencePlots.monitoring(pack)
        var files: [(String, Data)] = [
            (jsonFile, try json(pack)),
            (markdownFile, Data(EvidenceMarkdown.render(pack, monitoringPlot: monitoring != nil).utf8)),
            (EvidencePlots.perDayFile, Data(EvidencePlots.perDay(pack).utf8)),
        ]
        if let monitoring { files.append((EvidencePlots.monitoringFile, Data(monitoring.utf8))) }
        var written: [URL] = []
        for (name, data) in files {
            let url = directory.appendingPathComponent(name)
            try data.write(to: url, options: .atomic)
            written.append(url)
        }
        return written
    }

    /// Pretty, with sorted keys: equal packs give identical files, and diffs between exports stay readable.
    public static func json(_ pack: EvidencePack) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(pack)
    }
}
