import Testing
import VigilModelCore

@Suite struct EventIDTests {
    @Test func sameSourceGivesSameID() {
        #expect(
            EventID.derive(system: "LAB^HOSP", messageControlID: "MSG00001", position: 3)
                == EventID(source: Fixtures.source(position: 3)))
        #expect(Fixtures.event().id == Fixtures.event().id)
    }

    @Test func anyDifferentPartGivesDifferentID() {
        let ids: Set<EventID> = [
            EventID.derive(system: "LAB^HOSP", messageControlID: "MSG00001", position: 3),
            EventID.derive(system: "LAB^HOSP", messageControlID: "MSG00001", position: 4),
            EventID.derive(system: "LAB^HOSP", messageControlID: "MSG00002", position: 3),
            EventID.derive(system: "ADT^HOSP", messageControlID: "MSG00001", position: 3),
            // Framing keeps ("LAB^HOSPM", "SG00001") apart from ("LAB^HOSP", "MSG00001").
            EventID.derive(system: "LAB^HOSPM", messageControlID: "SG00001", position: 3),
            EventID.derive(namespace: "source", parts: ["LAB^HOSP", "MSG00001", "3", "x"]),
        ]
        #expect(ids.count == 6)
    }

    /// Expected value computed independently with Python:
    ///   d = hashlib.sha256(frame(["vigil.event-id/1", "source", "LAB^HOSP", "MSG00001", "3"])).digest()
    ///   "e1." + base64.b32encode(d).decode().lower().rstrip("=")
    /// with `frame` as in PseudonymTests (4-byte big-endian length + UTF-8 per part).
    @Test func matchesIndependentComputation() {
        #expect(
            EventID.derive(system: "LAB^HOSP", messageControlID: "MSG00001", position: 3).rawValue
                == "e1.37awdcxx5dddbpksygugpadretpdvfcaf4vkklqwbvgsgw2qrasq")
    }

    @Test func validatesFormat() {
        let id = EventID(source: Fixtures.source())
        #expect(EventID(id.rawValue) == id)
        #expect(EventID("e1.abc") == nil)
        #expect(EventID("e2." + id.rawValue.dropFirst(3)) == nil)
        #expect(EventID(id.rawValue.uppercased()) == nil)
    }

    @Test func hexDigestOfKnownInput() {
        // FIPS 180-2 SHA-256 example: "abc".
        #expect(
            HexDigest.sha256(of: Array("abc".utf8)).hex
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(HexDigest("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD") == nil)
    }
}
