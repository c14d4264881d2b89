import Foundation
import Testing

@testable import VigilModelCore

@Suite struct PseudonymTests {
    /// RFC 4231 §4.2 and §4.3 (HMAC-SHA-256 test cases 1 and 2), through the MAC function `derive` uses.
    @Test func macMatchesRFC4231() {
        let case1 = Pseudonym.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(hex(case1) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let case2 = Pseudonym.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(hex(case2) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    /// Expected value computed independently with Python:
    ///   frame = lambda ps: b"".join(struct.pack(">I", len(p.encode())) + p.encode() for p in ps)
    ///   mac = hmac.new(bytes(range(32)), frame(["vigil.pseudonym/1", "urn:oid:1.2.3.4", "MRN12345"]),
    ///                  hashlib.sha256).digest()
    ///   "p1.k2024." + base64.b32encode(mac).decode().lower().rstrip("=")
    @Test func deriveMatchesIndependentComputation() throws {
        let pseudonym = try Pseudonym.derive(
            assigningAuthority: "urn:oid:1.2.3.4", patientID: "MRN12345", key: Fixtures.key, keyID: "k2024")
        #expect(pseudonym.rawValue == "p1.k2024.izojovgzefc7nnv5c4j2prt2zvjkzequixlrh5dcbolegtyxrvba")
        #expect(pseudonym.description == pseudonym.rawValue)
        #expect(pseudonym.keyID == "k2024")
    }

    @Test func isDeterministic() throws {
        let a = try Pseudonym.derive(assigningAuthority: "A", patientID: "1", key: Fixtures.key, keyID: "k1")
        let b = try Pseudonym.derive(assigningAuthority: "A", patientID: "1", key: Fixtures.key, keyID: "k1")
        #expect(a == b)
    }

    @Test func differentKeyKeyIDOrInputGivesDifferentPseudonym() throws {
        let base = try Pseudonym.derive(assigningAuthority: "A", patientID: "1", key: Fixtures.key, keyID: "k1")
        let otherKey = try Pseudonym.derive(
            assigningAuthority: "A", patientID: "1", key: Fixtures.otherKey, keyID: "k1")
        let otherKeyID = try Pseudonym.derive(assigningAuthority: "A", patientID: "1", key: Fixtures.key, keyID: "k2")
        let otherAuthority = try Pseudonym.derive(
            assigningAuthority: "B", patientID: "1", key: Fixtures.key, keyID: "k1")
        // Framing keeps ("A1", "") apart from ("A", "1").
        let shifted = try Pseudonym.derive(assigningAuthority: "A1", patientID: "", key: Fixtures.key, keyID: "k1")
        #expect(Set([base, otherKey, otherKeyID, otherAuthority, shifted]).count == 5)
        #expect(otherKeyID.keyID == "k2")
    }

    @Test func refusesShortKeysAndBadKeyIDs() {
        #expect(throws: ModelCoreError.self) {
            try Pseudonym.derive(assigningAuthority: "A", patientID: "1", key: Array("short".utf8), keyID: "k1")
        }
        for keyID in ["", "K1", "k.1", "k 1", String(repeating: "k", count: 33)] {
            let error = #expect(throws: ModelCoreError.self) {
                try Pseudonym.derive(assigningAuthority: "A", patientID: "1", key: Fixtures.key, keyID: keyID)
            }
            #expect(error?.field == "keyID")
        }
    }

    @Test(arguments: [
        "", "garbage", "p1.", "p1.k1.", "p2.k2024.izojovgzefc7nnv5c4j2prt2zvjkzequixlrh5dcbolegtyxrvba",
        "p1.K2024.izojovgzefc7nnv5c4j2prt2zvjkzequixlrh5dcbolegtyxrvba",
        "p1.k2024.IZOJOVGZEFC7NNV5C4J2PRT2ZVJKZEQUIXLRH5DCBOLEGTYXRVBA",
        "p1.k2024.izojovgzefc7nnv5c4j2prt2zvjkzequixlrh5dcbolegtyxrvb",  // one character short
        "p1.k2024.izojovgzefc7nnv5c4j2prt2zvjkzequixlrh5dcbolegtyxrvbb",  // non-zero trailing bits
        "p1.k2024.izojovgzefc7nnv5c4j2prt2zvjkzequixlrh5dcbolegtyxrvba.x",
        "p1..izojovgzefc7nnv5c4j2prt2zvjkzequixlrh5dcbolegtyxrvba",
    ])
    func formatValidationRejectsGarbage(_ text: String) {
        #expect(Pseudonym(text) == nil)
    }

    @Test func codableAsAStringAndValidatedOnDecode() throws {
        let pseudonym = Fixtures.patient
        let bytes = try VigilJSON.encode([pseudonym])
        #expect(String(decoding: bytes, as: UTF8.self) == "[\"\(pseudonym.rawValue)\"]")
        #expect(try VigilJSON.decode([Pseudonym].self, from: bytes) == [pseudonym])
        let error = #expect(throws: ModelCoreError.self) {
            try VigilJSON.decode([Pseudonym].self, from: Array("[\"p1.k1.nope\"]".utf8))
        }
        #expect(error?.code == .invalidPseudonym)
        #expect(error?.description.contains("nope") == false)
    }

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
