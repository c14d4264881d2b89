import Foundation

/// One versioned SQL file: `migrations/<schema>/<NNNN>_<name>.sql`.
///
/// A migration runs in its own transaction, so it must not contain COMMIT/ROLLBACK or statements that cannot
/// run in a transaction (CREATE INDEX CONCURRENTLY). Objects a service should own are created after
/// `SET LOCAL ROLE <service>`.
public struct Migration: Sendable, Hashable, CustomStringConvertible {
    public let schema: String
    public let version: Int
    public let name: String
    public let sql: String

    public init(schema: String, version: Int, name: String, sql: String) {
        self.schema = schema
        self.version = version
        self.name = name
        self.sql = sql
    }

    public var description: String { "\(schema)/\(String(format: "%04d", version))_\(name)" }

    /// The schema every other one may depend on (roles, the migrations table); applied first.
    public static let platformSchema = "platform"

    /// Reads every `<schema>/<NNNN>_<name>.sql` below `directory`, in application order. Other files are
    /// ignored; a `.sql` file with a malformed name, or two files with one version, is an error.
    public static func load(directory: URL) throws -> [Migration] {
        let files = FileManager.default
        let schemas = try files.contentsOfDirectory(atPath: directory.path)
        var migrations: [Migration] = []
        for schema in schemas where isDirectory(directory.appendingPathComponent(schema)) {
            guard isIdentifier(schema) else {
                throw MigrationError(code: .invalidLayout, message: "schema folder \(schema) is not a lower-case name")
            }
            let folder = directory.appendingPathComponent(schema)
            var versions: Set<Int> = []
            for file in try files.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".sql") {
                let stem = file.dropLast(4)
                guard let separator = stem.firstIndex(of: "_"),
                    let version = Int(stem[..<separator]), stem[..<separator].count >= 4,
                    stem[..<separator].allSatisfy({ $0.isASCII && $0.isNumber }), version > 0,
                    isIdentifier(String(stem[stem.index(after: separator)...]))
                else {
                    throw MigrationError(
                        code: .invalidLayout, message: "\(schema)/\(file) is not named NNNN_name.sql", schema: schema)
                }
                guard versions.insert(version).inserted else {
                    throw MigrationError(
                        code: .duplicateVersion, message: "two files for \(schema) version \(version)",
                        schema: schema, version: version)
                }
                let sql = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                let name = String(stem[stem.index(after: separator)...])
                migrations.append(Migration(schema: schema, version: version, name: name, sql: sql))
            }
        }
        return ordered(migrations)
    }

    /// `platform` first, then the other schemas alphabetically; by version within a schema.
    public static func ordered(_ migrations: [Migration]) -> [Migration] {
        migrations.sorted { precedes(($0.schema, $0.version), ($1.schema, $1.version)) }
    }

    static func precedes(_ left: (schema: String, version: Int), _ right: (schema: String, version: Int)) -> Bool {
        (left.schema == platformSchema ? 0 : 1, left.schema, left.version)
            < (right.schema == platformSchema ? 0 : 1, right.schema, right.version)
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }

    private static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, first == UInt8(ascii: "_") || (97...122).contains(first) else {
            return false
        }
        return text.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (97...122).contains($0) || (48...57).contains($0) }
    }
}

/// A migration problem. Names the schema and version; never includes SQL or data.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// A folder or file name does not follow `<schema>/<NNNN>_<name>.sql`.
        case invalidLayout
        case duplicateVersion
        /// A file that was applied earlier has changed since.
        case checksumMismatch
        /// The migration's SQL failed; see `underlying`. Nothing of it was applied.
        case failed
        /// Another process held the migration lock for longer than the lock timeout.
        case lockTimeout
    }

    public var code: Code
    public var message: String
    public var schema: String?
    public var version: Int?
    public var underlying: PostgresError?

    public init(
        code: Code, message: String, schema: String? = nil, version: Int? = nil, underlying: PostgresError? = nil
    ) {
        self.code = code
        self.message = message
        self.schema = schema
        self.version = version
        self.underlying = underlying
    }

    public var description: String {
        var text = "migration \(code.rawValue): \(message)"
        if let underlying { text += " — \(underlying)" }
        return text
    }
}
