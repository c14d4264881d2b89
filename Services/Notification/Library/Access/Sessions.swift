import Crypto
import Foundation
import VigilModelCore
import VigilPostgres

/// Oversight page sessions in `notify.sessions`. The cookie holds 32 random bytes; only their SHA-256 is
/// stored. A session ends after `idle` without a request or `absolute` after login, whichever is first.
public struct SessionStore: Sendable {
    public struct Session: Sendable, Hashable {
        public var principalID: String
        /// Sent in every form as `_csrf` (hex) and compared in constant time.
        public var csrfToken: [UInt8]

        public var csrfHex: String { Hex.encode(csrfToken) }
    }

    let pool: PostgresPool
    public let idle: Duration
    public let absolute: Duration

    public init(pool: PostgresPool, idle: Duration = .seconds(30 * 60), absolute: Duration = .seconds(12 * 3600)) {
        self.pool = pool
        self.idle = idle
        self.absolute = absolute
    }

    /// Starts a session; returns the cookie value (hex of the 32 bytes).
    public func create(principalID: String, now: Date = Date()) async throws -> String {
        let secret = Self.random(32)
        let expires = now.addingTimeInterval(Double(absolute.components.seconds))
        _ = try await pool.execute(
            """
            INSERT INTO notify.sessions (id_sha256, principal, csrf_token, created_at, last_seen_at, expires_at)
            VALUES (\(Self.digest(secret)), \(principalID), \(Self.random(32)), \(now), \(now), \(expires))
            """)
        // Expired rows are swept at each login, which keeps the table small without another timer.
        _ = try await pool.execute(
            """
            DELETE FROM notify.sessions
            WHERE expires_at < \(now) OR last_seen_at < \(now.addingTimeInterval(-idleSeconds))
            """
        )
        return Hex.encode(secret)
    }

    /// The live session of a cookie value, touched (idle expiry restarts); nil if unknown or expired.
    public func session(cookie: String, now: Date = Date()) async throws -> Session? {
        guard let secret = Self.bytes(hex: cookie), secret.count == 32 else { return nil }
        let rows = try await pool.query(
            """
            UPDATE notify.sessions SET last_seen_at = \(now)
            WHERE id_sha256 = \(Self.digest(secret)) AND expires_at > \(now)
              AND last_seen_at > \(now.addingTimeInterval(-idleSeconds))
            RETURNING principal, csrf_token
            """)
        guard let row = rows.first else { return nil }
        let (principal, csrf) = try row.decode((String, [UInt8]).self)
        return Session(principalID: principal, csrfToken: csrf)
    }

    public func delete(cookie: String) async throws {
        guard let secret = Self.bytes(hex: cookie) else { return }
        _ = try await pool.execute("DELETE FROM notify.sessions WHERE id_sha256 = \(Self.digest(secret))")
    }

    var idleSeconds: Double { Double(idle.components.seconds) }

    static func digest(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Lower-case hex to bytes; nil for anything else (cookie values come from the client).
    static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0, utf8.count <= 128 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
