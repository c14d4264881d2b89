import Testing
import VigilModelCore

@Suite struct SchemaVersionTests {
    @Test func parsesMajorMinor() {
        #expect(SchemaVersion("1.0") == SchemaVersion(major: 1, minor: 0))
        #expect(SchemaVersion("12.3") == SchemaVersion(major: 12, minor: 3))
        #expect(SchemaVersion("2.0")?.description == "2.0")
    }

    @Test(arguments: ["", "1", "1.", ".1", "1.0.0", "01.0", "-1.0", "a.b", "1.0 ", "１.0"])
    func rejectsMalformed(_ text: String) {
        #expect(SchemaVersion(text) == nil)
    }

    @Test func sameMajorIsReadableOtherMajorIsNot() {
        let reader = SchemaVersion(major: 1, minor: 0)
        #expect(reader.canRead(SchemaVersion(major: 1, minor: 7)))
        #expect(!reader.canRead(SchemaVersion(major: 2, minor: 0)))
        #expect(!reader.canRead(SchemaVersion(major: 0, minor: 9)))
    }

    @Test func schemaIdentifierRoundTripsInBothForms() throws {
        let id = try #require(SchemaIdentifier("vigil.clinical-event/1.0"))
        #expect(id.name == "vigil.clinical-event")
        #expect(id.version == SchemaVersion(major: 1, minor: 0))
        #expect(id.uri == "urn:vigil:schema:vigil.clinical-event/1.0")
        #expect(SchemaIdentifier(uri: id.uri) == id)
        #expect(SchemaIdentifier("Vigil Event/1.0") == nil)
        #expect(SchemaIdentifier("vigil.clinical-event") == nil)
    }

    @Test func payloadSchemaCheckNamesTheField() {
        #expect(
            throws: ModelCoreError(
                .unsupportedSchemaVersion, field: "schema",
                version: SchemaVersion(major: 2, minor: 0),
                reason: "unknown major schema version")
        ) {
            try ClinicalEvent.checkSchema(
                SchemaIdentifier(
                    name: "vigil.clinical-event",
                    version: SchemaVersion(major: 2, minor: 0)))
        }
        #expect(throws: Never.self) {
            try ClinicalEvent.checkSchema(
                SchemaIdentifier(
                    name: "vigil.clinical-event",
                    version: SchemaVersion(major: 1, minor: 4)))
        }
        let mismatch = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.checkSchema(
                SchemaIdentifier(
                    name: "vigil.identified-event",
                    version: SchemaVersion(major: 1, minor: 0)))
        }
        #expect(mismatch?.code == .schemaMismatch)
    }
}
