import Foundation
import Ingestion
import Testing
import VigilModelCore
import VigilRuntime

/// `VIGIL_HL7_CODE_MAP` and `VIGIL_HL7_UTC_OFFSET`: a site's map is applied over the built-in one, and a bad
/// file stops start-up naming the variable and the line.
@Suite struct HL7MapperSettingsTests {
    typealias M = HL7MappingTestMessages

    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("codemap-\(UUID()).tsv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func aSiteCodeMapFileIsAppliedOverTheBuiltInMap() throws {
        let path = try Self.file("# site codes\n99SITE\tZZ42\t2524-7\tLactate\tlab\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try HL7Mapper.Configuration.from(EnvironmentReader(["VIGIL_HL7_CODE_MAP": path]))
        let mapping = try M.map(M.oru(["OBX|1|NM|ZZ42^Lac^99SITE||3.1|mmol/L|||||F"]), configuration: configuration)
        #expect(mapping.events.first?.code.code == "2524-7")
        // The built-in entries are still there.
        #expect(configuration.codeMap.count > 1)
    }

    @Test func aBadLineOrAMissingFileNamesTheVariable() throws {
        let path = try Self.file("99SITE\tOK\t2524-7\n99SITE\tBAD\t1234-5\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try HL7Mapper.Configuration.from(EnvironmentReader(["VIGIL_HL7_CODE_MAP": path]))
            Issue.record("a LOINC code with a wrong check digit must fail")
        } catch let error as ConfigurationError {
            #expect(error.variable == "VIGIL_HL7_CODE_MAP")
            #expect(error.problem.contains("line 2"))
        }
        #expect(throws: ConfigurationError.self) {
            try HL7Mapper.Configuration.from(EnvironmentReader(["VIGIL_HL7_CODE_MAP": "/nonexistent.tsv"]))
        }
        #expect(throws: ConfigurationError.self) {
            try HL7Mapper.Configuration.from(EnvironmentReader(["VIGIL_HL7_UTC_OFFSET": "+01:00"]))
        }
        let offset = try HL7Mapper.Configuration.from(EnvironmentReader(["VIGIL_HL7_UTC_OFFSET": "60"]))
        #expect(offset.assumedUTCOffsetMinutes == 60)
    }
}
