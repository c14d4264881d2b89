import Foundation
import VigilRuntime

extension HL7Mapper.Configuration {
    /// The mapper's settings from the environment, failing start-up with the variable (and line) at fault:
    ///
    /// | variable | default | meaning |
    /// |---|---|---|
    /// | `VIGIL_HL7_CODE_MAP` | — | TSV of local codes → LOINC (see `HL7CodeMap`), applied over the built-in map |
    /// | `VIGIL_HL7_UTC_OFFSET` | `0` | minutes east of UTC assumed for HL7 times sent without an offset |
    public static func from(_ env: EnvironmentReader) throws -> HL7Mapper.Configuration {
        var configuration = HL7Mapper.Configuration()
        if let path = env.optionalString("VIGIL_HL7_CODE_MAP") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(variable: "VIGIL_HL7_CODE_MAP", problem: "cannot read \(path)")
            }
            do {
                let local = try HL7CodeMap(tsv: String(decoding: data, as: UTF8.self))
                configuration.codeMap = HL7CodeMap.standard.merging(local)
            } catch {
                throw ConfigurationError(variable: "VIGIL_HL7_CODE_MAP", problem: "\(path): line \(error.line): \(error.reason)")
            }
        }
        configuration.assumedUTCOffsetMinutes = try env.int("VIGIL_HL7_UTC_OFFSET", default: 0, range: -14 * 60...14 * 60)
        return configuration
    }
}
