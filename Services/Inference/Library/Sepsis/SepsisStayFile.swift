import Foundation
import VigilModelCore

/// One challenge stay (`pNNNNNN.psv`: pipe-separated, a header, one row per ICU hour, `NaN` for missing).
public struct SepsisStayFile: Sendable {
    public struct Hour: Sendable {
        /// The measured columns in `SepsisColumns.measured` order.
        public var values: [Double]
        public var statics: SepsisStatics
        public var iculos: Double
        /// Nil when the file has no `SepsisLabel` column.
        public var label: Int?
    }

    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    public var hours: [Hour]

    public init(contentsOf url: URL) throws {
        try self.init(text: String(decoding: try Data(contentsOf: url), as: UTF8.self), name: url.lastPathComponent)
    }

    public init(text: String, name: String = "stay") throws {
        var lines = text.split(whereSeparator: \.isNewline).makeIterator()
        guard let header = lines.next()?.split(separator: "|").map(String.init) else {
            throw FormatError(description: "\(name): empty file")
        }
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let measured = try SepsisColumns.names.map { column in
            guard let position = index[column] else { throw FormatError(description: "\(name): no column \(column)") }
            return position
        }
        guard let iculos = index["ICULOS"] else { throw FormatError(description: "\(name): no column ICULOS") }
        let label = index["SepsisLabel"]
        hours = []
        for (lineNumber, line) in zip(2..., IteratorSequence(lines)) {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count == header.count else {
                throw FormatError(description: "\(name) line \(lineNumber): \(fields.count) fields, the header has \(header.count)")
            }
            func number(_ position: Int?) -> Double {
                guard let position else { return .nan }
                return Double(fields[position]) ?? .nan
            }
            hours.append(
                Hour(
                    values: measured.map(number),
                    statics: SepsisStatics(
                        age: number(index["Age"]), gender: number(index["Gender"]),
                        hospitalAdmissionHours: number(index["HospAdmTime"])),
                    iculos: number(iculos), label: label.map { Int(number($0)) }))
        }
    }

    /// The features of every hour, computed hour by hour as the service does.
    public func features() -> [[Double]] {
        var builder = SepsisFeatureBuilder()
        return hours.map { hour in
            defer { builder.append(hour.values) }
            return builder.features(for: hour.values, statics: hour.statics, iculos: hour.iculos)
        }
    }
}

/// The patient-level split used for training and evaluation: fold = sha256(stay name) mod k, so a patient is
/// in exactly one fold whatever the file order (the prototype and `tools/sepsis/train.py` agree).
public enum SepsisFolds {
    public static func fold(of stay: String, folds: Int = 5) -> Int {
        var remainder = 0
        for digit in HexDigest.sha256(of: Array(stay.utf8)).hex.utf8 {
            let value = Int(digit >= 97 ? digit - 87 : digit - 48)
            remainder = (remainder * 16 + value) % folds
        }
        return remainder
    }
}
