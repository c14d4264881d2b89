import Deidentification
import Foundation
import Testing
import VigilModelCore

/// Keys: weak or ambiguous keyrings stop start-up naming the key id, never its bytes; a readable keyring file
/// is refused; subkeys differ by purpose; old keys keep deriving their pseudonyms.
@Suite struct DeidKeyringTests {
    static let secret = Data(repeating: 9, count: 32).base64EncodedString()

    @Test func weakOrAmbiguousKeyringsAreRefused() {
        #expect(throws: DeidError.self) { try DeidKeyring(current: "k1", keys: ["k1": Array(repeating: 1, count: 31)]) }
        #expect(throws: DeidError.self) { try DeidKeyring(current: "k2", keys: ["k1": Array(repeating: 1, count: 32)]) }
        #expect(throws: DeidError.self) {
            try DeidKeyring(current: "k1", keys: ["k1": Array(repeating: 1, count: 32), "k2": Array(repeating: 1, count: 32)])
        }
        #expect(throws: DeidError.self) { try DeidKeyring(current: "K 1", keys: ["K 1": Array(repeating: 1, count: 32)]) }
        do {
            _ = try DeidKeyring(current: "k1", keys: ["k1": Array(repeating: 1, count: 16)])
        } catch {
            #expect(error.description.contains("k1"))
            #expect(!error.description.contains("AQEB"), "never the key bytes")
        }
    }

    @Test func loadsInlineJSONAndRefusesAFileOthersCanRead() throws {
        let json = #"{"current":"k2","keys":{"k1":"\#(Data(repeating: 3, count: 32).base64EncodedString())","k2":"\#(Self.secret)"}}"#
        let keyring = try DeidKeyring.load { $0 == "VIGIL_DEID_KEYRING" ? json : nil }
        #expect(keyring.currentID == "k2")
        #expect(keyring.ids == ["k2", "k1"])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keyring-\(UUID()).json").path
        FileManager.default.createFile(atPath: path, contents: Data(json.utf8), attributes: [.posixPermissions: 0o644])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: DeidError.self) { try DeidKeyring.load { $0 == "VIGIL_DEID_KEYRING_FILE" ? path : nil } }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try DeidKeyring.load { $0 == "VIGIL_DEID_KEYRING_FILE" ? path : nil }.currentID == "k2")
        #expect(throws: DeidError.self) { try DeidKeyring.load { _ in nil } }
    }

    @Test func purposesAndKeysGiveIndependentOutputs() throws {
        let keyring = try DeidKeyring(
            current: "k2", keys: ["k1": Array(repeating: 3, count: 32), "k2": Array(repeating: 4, count: 32)])
        #expect(keyring.mac(.hash, ["x"]) != keyring.mac(.dateShift, ["x"]))
        #expect(keyring.mac(.hash, id: "k1", ["x"]) != keyring.mac(.hash, id: "k2", ["x"]))
        let now = try keyring.pseudonym(authority: "HOSP", patientID: "42")
        let old = try keyring.pseudonym(authority: "HOSP", patientID: "42", keyID: "k1")
        #expect(now.keyID == "k2" && old.keyID == "k1" && now != old)
        #expect(try keyring.pseudonym(authority: "HOSP", patientID: "42") == now, "stable")
    }
}
