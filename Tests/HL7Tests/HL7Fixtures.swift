import Foundation

/// Paths and readers for `Tests/Fixtures/hl7v2`, located from this file so tests run from any directory.
enum HL7Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hl7v2")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    /// Rows of a tab-separated manifest, keyed by the header line's column names.
    static func manifest(_ relativePath: String) -> [[String: String]] {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(relativePath)) else { return [] }
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        return lines.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (key, value) in zip(header, cells) { row[key] = value }
            return row
        }
    }

    /// Every file under `relativeFolder`, as paths relative to the fixture root, sorted.
    static func files(under relativeFolder: String) -> [String] {
        let folder = root.appendingPathComponent(relativeFolder)
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var paths: [String] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            paths.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        return paths.sorted()
    }

    /// Edge-case messages: everything in edge/ except provenance files.
    static var edgeFiles: [String] {
        files(under: "edge").filter { path in
            let name = (path as NSString).lastPathComponent
            return name != "SOURCE.txt" && !name.hasPrefix("LICENSE") && name != "MANIFEST.tsv"
        }
    }

    static func text(_ string: String) -> [UInt8] { Array(string.utf8) }
}
