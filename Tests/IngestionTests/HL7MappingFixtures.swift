import Foundation
import Testing

/// Locates the HL7 v2 fixtures from this file's path (`<repo>/Tests/IngestionTests/…`) and reads them, and
/// the expected FHIR bundles, with plain Foundation — independently of the code under test.
enum HL7MappingFixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let ms = repository.appendingPathComponent("Tests/Fixtures/hl7v2/ms")
    static let samples = ms.appendingPathComponent("samples")
    static let edge = repository.appendingPathComponent("Tests/Fixtures/hl7v2/edge")

    /// One row of `ms/MANIFEST.tsv`.
    struct ManifestRow: Sendable, CustomTestStringConvertible {
        let file: String
        /// MSH-9 as the manifest records it (`ADT^A01^ADT_A01`).
        let messageType: String
        /// Path of the expected FHIR bundle relative to `ms/`, when the converter produced one.
        let expected: String?

        var testDescription: String { file }
        var messageCode: String { String(messageType.split(separator: "^").first ?? "") }
        var trigger: String {
            let parts = messageType.split(separator: "^")
            return parts.count > 1 ? String(parts[1]) : ""
        }
    }

    static let manifest: [ManifestRow] = {
        guard let text = try? String(contentsOf: ms.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8) else {
            return []
        }
        var rows: [ManifestRow] = []
        for line in text.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count > 7 else { continue }
            rows.append(
                ManifestRow(file: columns[0], messageType: columns[3], expected: columns[7].isEmpty ? nil : columns[7]))
        }
        return rows
    }()

    /// Manifest rows with an expected bundle, for the message types Vigil maps.
    static let oracleRows: [ManifestRow] = manifest.filter { row in
        guard row.expected != nil else { return false }
        return (row.messageCode == "ADT" && ["A01", "A02", "A03", "A04", "A08"].contains(row.trigger))
            || (row.messageCode == "ORU" && row.trigger == "R01")
    }

    static func bytes(_ url: URL) -> [UInt8] {
        (try? Data(contentsOf: url)).map { Array($0) } ?? []
    }

    static func sample(_ file: String) -> [UInt8] { bytes(samples.appendingPathComponent(file)) }

    static var sampleFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: samples.path)) ?? []).filter { $0.hasSuffix(".hl7") }
            .sorted()
    }

    /// Every regular file under `edge/` except licences and provenance notes, relative to `edge/`.
    static var edgeFiles: [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: edge.path) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: edge.appendingPathComponent(path).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { continue }
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix("LICENSE") || name == "SOURCE.txt" { continue }
            files.append(path)
        }
        return files.sorted()
    }

    /// The expected bundle's resources of one type, as JSON objects.
    static func expectedResources(_ row: ManifestRow, type: String) -> [[String: Any]] {
        guard let path = row.expected,
            let data = try? Data(contentsOf: ms.appendingPathComponent(path)),
            let bundle = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let entries = bundle["entry"] as? [[String: Any]]
        else { return [] }
        return entries.compactMap { $0["resource"] as? [String: Any] }.filter { $0["resourceType"] as? String == type }
    }

    /// The sample's segments as raw text lines (`\r`, `\n` or `\r\n` separated; BOM removed), for reading
    /// source values in tests without the parser under test.
    static func rawSegments(_ file: String) -> [[String]] {
        var text = String(decoding: sample(file), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }).map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
    }
}

/// Independent readers for the times the oracle and the samples write, so tests compare instants without
/// the code under test.
enum HL7MappingTimes {
    /// FHIR `dateTime`: `YYYY-MM-DD` (returned as `dateOnly`) or `YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)`.
    static func fhir(_ text: String) -> (instant: Date?, dateOnly: String?) {
        if text.count == 10 { return (nil, text) }
        let chars = Array(text)
        guard chars.count >= 20, let year = Int(String(chars[0..<4])), let month = Int(String(chars[5..<7])),
            let day = Int(String(chars[8..<10])), let hour = Int(String(chars[11..<13])),
            let minute = Int(String(chars[14..<16])), let second = Int(String(chars[17..<19]))
        else { return (nil, nil) }
        var i = 19
        var fraction = 0.0
        if chars[i] == "." {
            var digits = ""
            i += 1
            while i < chars.count, chars[i].isNumber {
                digits.append(chars[i])
                i += 1
            }
            fraction = Double("0." + digits) ?? 0
        }
        var offset = 0
        if i < chars.count, chars[i] == "+" || chars[i] == "-", i + 6 <= chars.count,
            let oh = Int(String(chars[(i + 1)..<(i + 3)])), let om = Int(String(chars[(i + 4)..<(i + 6)]))
        {
            offset = (chars[i] == "-" ? -1 : 1) * (oh * 60 + om)
        }
        return (instant(year, month, day, hour, minute, second, fraction, offset), nil)
    }

    /// HL7 DTM `YYYYMMDD[HH[MM[SS[.S+]]]][±ZZZZ]` read at UTC when it has no offset.
    static func hl7(_ text: String) -> Date? {
        var body = text
        var offset = 0
        if let sign = body.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = body[body.index(after: sign)...]
            guard zone.count == 4, let hh = Int(zone.prefix(2)), let mm = Int(zone.suffix(2)) else { return nil }
            offset = (body[sign] == "-" ? -1 : 1) * (hh * 60 + mm)
            body = String(body[..<sign])
        }
        var fraction = 0.0
        if let dot = body.firstIndex(of: ".") {
            fraction = Double("0" + body[dot...]) ?? 0
            body = String(body[..<dot])
        }
        let digits = Array(body)
        func part(_ start: Int, _ length: Int) -> Int? {
            guard digits.count >= start + length else { return nil }
            return Int(String(digits[start..<(start + length)]))
        }
        guard let year = part(0, 4), let month = part(4, 2), let day = part(6, 2) else { return nil }
        return instant(year, month, day, part(8, 2) ?? 0, part(10, 2) ?? 0, part(12, 2) ?? 0, fraction, offset)
    }

    static func instant(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ fraction: Double,
        _ offsetMinutes: Int
    ) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard
            let date = calendar.date(
                from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
        else { return nil }
        return date.addingTimeInterval(fraction - Double(offsetMinutes * 60))
    }

    /// `YYYY-MM-DD` of an instant in UTC.
    static func utcDay(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    static func same(_ a: Date, _ b: Date) -> Bool { abs(a.timeIntervalSince(b)) < 0.0005 }
}
