import Crypto
import Foundation
import Synchronization
import VigilModelCore
import VigilPHI
import VigilPostgres

/// `deid.patients`: each patient's pseudonym, date shift and sealed identity. The first sight of a patient
/// fixes the date shift; a key rotation keeps the old pseudonym (the new one becomes an alias), so downstream
/// state and timelines stay continuous.
public final class PatientVault: Sendable {
    let pool: PostgresPool
    let keyring: DeidKeyring
    private let cache = Mutex<[Pseudonym: (context: PatientContext, mac: [UInt8])]>([:])

    public init(pool: PostgresPool, keyring: DeidKeyring) {
        self.pool = pool
        self.keyring = keyring
    }

    /// The patient's pseudonym and date shift, creating or refreshing the vault row as needed.
    public func context(for patient: IdentifiedPatient, newShift: () -> Int) async throws -> PatientContext {
        let current = try keyring.pseudonym(authority: patient.assigningAuthority, patientID: patient.patientID)
        let identity = try VigilJSON.encode(patient)
        let mac = Array(HMAC<SHA256>.authenticationCode(for: identity, using: keyring.key(.vaultMAC)))
        if let cached = cache.withLock({ $0[current] }), cached.mac == mac { return cached.context }

        var found = try await lookup(current)
        if found == nil {
            // Known under a retired key? Keep that pseudonym and alias the new one to it.
            for id in keyring.ids.dropFirst() {
                let old = try keyring.pseudonym(authority: patient.assigningAuthority, patientID: patient.patientID, keyID: id)
                if let row = try await lookup(old) {
                    try await pool.execute(
                        """
                        INSERT INTO deid.pseudonym_aliases (alias, pseudonym) VALUES (\(current.rawValue), \(old.rawValue))
                        ON CONFLICT DO NOTHING
                        """)
                    found = row
                    break
                }
            }
        }
        if found == nil {
            let shift = newShift()
            try await pool.execute(
                """
                INSERT INTO deid.patients (pseudonym, date_shift_days, key_id, identity, identity_mac)
                VALUES (\(current.rawValue), \(shift), \(keyring.currentID), \(try seal(identity, for: current)), \(mac))
                ON CONFLICT DO NOTHING
                """)
            found = try await lookup(current)
        }
        guard let row = found else { throw DeidError(.vaultUnavailable, "vault row missing after insert") }
        if row.mac != mac {
            try await pool.execute(
                """
                UPDATE deid.patients SET identity = \(try seal(identity, for: row.context.pseudonym)), identity_mac = \(mac),
                  key_id = \(keyring.currentID), last_seen_at = now()
                WHERE pseudonym = \(row.context.pseudonym.rawValue)
                """)
        }
        cache.withLock { $0[current] = (row.context, mac) }
        return row.context
    }

    /// The identified patient behind a pseudonym (or one of its aliases); nil when unknown.
    public func reveal(_ pseudonym: Pseudonym) async throws -> IdentifiedPatient? {
        let rows = try await pool.query(
            """
            SELECT p.pseudonym, p.key_id, p.identity FROM deid.patients p
            WHERE p.pseudonym = \(pseudonym.rawValue)
               OR p.pseudonym = (SELECT a.pseudonym FROM deid.pseudonym_aliases a WHERE a.alias = \(pseudonym.rawValue))
            """)
        guard let row = rows.first else { return nil }
        let (stored, keyID, sealed) = try row.decode((String, String, [UInt8]).self)
        let box = try AES.GCM.SealedBox(combined: sealed)
        let plain = try AES.GCM.open(box, using: keyring.key(.vault, id: keyID), authenticating: Data(stored.utf8))
        return try VigilJSON.decode(IdentifiedPatient.self, from: plain)
    }

    private func lookup(_ pseudonym: Pseudonym) async throws -> (context: PatientContext, mac: [UInt8])? {
        let rows = try await pool.query(
            """
            SELECT p.pseudonym, p.date_shift_days, p.identity_mac FROM deid.patients p
            WHERE p.pseudonym = \(pseudonym.rawValue)
               OR p.pseudonym = (SELECT a.pseudonym FROM deid.pseudonym_aliases a WHERE a.alias = \(pseudonym.rawValue))
            """)
        guard let row = rows.first else { return nil }
        let (stored, shift, mac) = try row.decode((String, Int, [UInt8]).self)
        guard let pseudonym = Pseudonym(stored) else { throw DeidError(.vaultUnavailable, "malformed pseudonym in vault") }
        return (PatientContext(pseudonym: pseudonym, dateShiftDays: shift), mac)
    }

    /// AES-GCM under the vault subkey, the pseudonym as authenticated data (a row cannot be moved to another).
    private func seal(_ identity: [UInt8], for pseudonym: Pseudonym) throws -> [UInt8] {
        let box = try AES.GCM.seal(identity, using: keyring.key(.vault), authenticating: Data(pseudonym.rawValue.utf8))
        guard let combined = box.combined else { throw DeidError(.keyError, "AES-GCM produced no combined form") }
        return Array(combined)
    }
}
