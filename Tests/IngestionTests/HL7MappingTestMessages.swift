import Foundation
import Ingestion
import Testing
import VigilHL7

/// Hand-written messages for the mapping tests: segments joined by CR, with the values each test states.
enum HL7MappingTestMessages {
    static let msh = "MSH|^~\\&|LABAPP|GOODHOSP|VIGIL|VIGIL|20240501103000+0200||ORU^R01^ORU_R01|CTRL-1|P|2.5.1"
    static let pid = "PID|1||MRN123^^^GOODHOSP^MR~999-11-2222^^^SSA^SS||DOE^JANE^Q^^MS^^L||19700214|F"
    static let obr = "OBR|1|PLC-7^ORDERS|FIL-9^LAB|24331-1^Panel^LN|||20240501090000+0200"

    static func message(_ segments: [String]) throws -> HL7Message {
        try HL7Message(parsing: segments.joined(separator: "\r"))
    }

    static func header(type: String = "ORU^R01^ORU_R01", control: String = "CTRL-1", time: String = "20240501103000+0200")
        -> String
    {
        "MSH|^~\\&|LABAPP|GOODHOSP|VIGIL|VIGIL|\(time)||\(type)|\(control)|P|2.5.1"
    }

    /// An ORU with the standard header, PID and OBR, then `results`.
    static func oru(_ results: [String], control: String = "CTRL-1") throws -> HL7Message {
        try message([header(control: control), pid, obr] + results)
    }

    static func map(_ message: HL7Message, configuration: HL7Mapper.Configuration = .init()) throws -> HL7Mapping {
        try HL7Mapper(configuration: configuration).map(message)
    }

    /// The instant of an RFC 3339 text, read with Foundation.
    static func time(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    /// The error the mapper throws, or nil.
    static func mappingError(_ message: HL7Message, configuration: HL7Mapper.Configuration = .init()) -> HL7MappingError? {
        do {
            _ = try HL7Mapper(configuration: configuration).map(message)
            return nil
        } catch {
            return error
        }
    }
}
