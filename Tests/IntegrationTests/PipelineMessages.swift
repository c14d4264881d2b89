import Foundation
import Inference

/// Inputs for the pipeline tests: HL7 v2 and FHIR carrying canary PHI (values nothing else in the pipeline
/// could produce by chance) with vitals bad enough for NEWS2 to alert, and ICU stays from `samples/icu-stays`.
enum PipelineMessages {
    /// Every value that must stay inside the PHI zone (ingest's topics, deid's vault).
    static let canaries = [
        // HL7 patient: name, MRN, date of birth (both forms), street, city, phone, and the note's own wording.
        "Pembertonia", "Quillfeather", "MRN-CANARY-40417", "19430309", "1943-03-09", "17 Lanternfish Lane",
        "Quaysborough", "555-0177-3141", "Quillfeather's daughter",
        // FHIR patient.
        "Ottoline", "Marchbanks", "MRN-CANARY-FHIR-5521", "1951-11-23", "19511123", "88 Gullwing Terrace",
        "Saltmarsh Cove", "555-0188-2718",
    ]
    static let hl7MRN = "MRN-CANARY-40417"
    static let fhirMRN = "MRN-CANARY-FHIR-5521"

    /// ADT^A01, an ORU^R01 of vitals scoring NEWS2 14, and an ORU^R01 with a free-text (TX) progress note.
    static func hl7(at time: Date, run: String) -> [[UInt8]] {
        let at = hl7Time(time)
        let admitted = hl7Time(time.addingTimeInterval(-3600))
        let msh = { (type: String, id: String) in "MSH|^~\\&|ADT|HOSP|VIGIL|HOSP|\(at)||\(type)|\(id)-\(run)|P|2.5.1" }
        let pid =
            "PID|1||\(hl7MRN)^^^HOSP^MR||Quillfeather^Pembertonia||19430309|F|||17 Lanternfish Lane^^Quaysborough^IL^62704"
            + "||555-0177-3141^PRN^PH"
        let pv1 = "PV1|1|I|ICU^1^A|||||||||||||||V-CANARY-\(run)|||||||||||||||||||||||||\(admitted)"
        let vitals = [
            ("8867-4", "Heart rate", "138", "/min"), ("9279-1", "Respiratory rate", "29", "/min"),
            ("59408-5", "SpO2", "89", "%"), ("8480-6", "Systolic BP", "86", "mm[Hg]"),
            ("8310-5", "Temperature", "39.4", "Cel"),
        ].enumerated().map { index, vital in
            "OBX|\(index + 1)|NM|\(vital.0)^\(vital.1)^LN||\(vital.2)|\(vital.3)|||||F|||\(at)"
        }
        let note =
            "Pembertonia Quillfeather (MRN-CANARY-40417, born 1943-03-09) of 17 Lanternfish Lane, Quaysborough; "
            + "Quillfeather's daughter called from 555-0177-3141. Rigors overnight."
        return [
            [msh("ADT^A01^ADT_A01", "CAN-A01"), "EVN|A01|\(admitted)", pid, pv1],
            [msh("ORU^R01^ORU_R01", "CAN-V"), pid, pv1, "OBR|1||V-\(run)|VITALS^Vitals^L|||\(at)"] + vitals,
            [
                msh("ORU^R01^ORU_R01", "CAN-N"), pid, pv1, "OBR|1||N-\(run)|11506-3^Progress note^LN|||\(at)",
                "OBX|1|TX|11506-3^Progress note^LN||\(note)||||||F|||\(at)",
            ],
        ].map { Array($0.joined(separator: "\r").utf8) + [13] }
    }

    /// A collection Bundle: Patient, Encounter, vitals and a DocumentReference whose text names the patient.
    static func fhir(at time: Date, run: String) throws -> [UInt8] {
        let formatter = ISO8601DateFormatter()
        let at = formatter.string(from: time)
        let patient = "urn:uuid:\(UUID().uuidString.lowercased())"
        let note =
            "Ottoline Marchbanks (MRN-CANARY-FHIR-5521), 88 Gullwing Terrace, Saltmarsh Cove, DOB 1951-11-23, "
            + "phone 555-0188-2718: short of breath."
        func observation(_ code: String, _ value: Double, _ unit: String) -> [String: Any] {
            [
                "fullUrl": "urn:uuid:\(UUID().uuidString.lowercased())",
                "resource": [
                    "resourceType": "Observation", "status": "final",
                    "code": ["coding": [["system": "http://loinc.org", "code": code]]],
                    "subject": ["reference": patient], "effectiveDateTime": at,
                    "valueQuantity": [
                        "value": value, "system": "http://unitsofmeasure.org", "code": unit, "unit": unit,
                    ],
                ] as [String: Any],
            ]
        }
        let entries: [[String: Any]] = [
            [
                "fullUrl": patient,
                "resource": [
                    "resourceType": "Patient", "id": "canary-\(run)",
                    "identifier": [["system": "urn:oid:2.16.840.1.113883.19.5", "value": fhirMRN]],
                    "name": [["family": "Marchbanks", "given": ["Ottoline"]]], "gender": "female",
                    "birthDate": "1951-11-23", "telecom": [["system": "phone", "value": "555-0188-2718"]],
                    "address": [
                        [
                            "line": ["88 Gullwing Terrace"], "city": "Saltmarsh Cove", "state": "ME",
                            "postalCode": "04101",
                        ]
                    ],
                ] as [String: Any],
            ],
            [
                "fullUrl": "urn:uuid:\(UUID().uuidString.lowercased())",
                "resource": [
                    "resourceType": "Encounter", "status": "in-progress",
                    "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"],
                    "subject": ["reference": patient],
                    "period": ["start": formatter.string(from: time.addingTimeInterval(-3600))],
                ] as [String: Any],
            ],
            observation("8867-4", 131, "/min"), observation("9279-1", 27, "/min"), observation("59408-5", 90, "%"),
            observation("8480-6", 89, "mm[Hg]"),
            [
                "fullUrl": "urn:uuid:\(UUID().uuidString.lowercased())",
                "resource": [
                    "resourceType": "DocumentReference", "status": "current",
                    "type": [
                        "coding": [["system": "http://loinc.org", "code": "11506-3", "display": "Progress note"]]
                    ],
                    "subject": ["reference": patient], "date": at,
                    "content": [
                        ["attachment": ["contentType": "text/plain", "data": Data(note.utf8).base64EncodedString()]]
                    ],
                ] as [String: Any],
            ],
        ]
        let bundle: [String: Any] = ["resourceType": "Bundle", "type": "collection", "entry": entries]
        return Array(try JSONSerialization.data(withJSONObject: bundle))
    }

    /// HL7 DTM in UTC: `yyyyMMddHHmmss+0000`.
    static func hl7Time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: date) + "+0000"
    }

    static let stayDirectory = ServiceProcess.root.appendingPathComponent("samples/icu-stays")

    /// The first `count` stays of `samples/icu-stays` as HL7 (ADT^A01 + hourly ORU^R01), each ending this hour;
    /// one list per stay, in the order a hospital would send it.
    static func stays(_ count: Int) throws -> [[[UInt8]]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: stayDirectory.path)
            .filter { $0.hasSuffix(".psv") }.sorted().prefix(count)
        let hour = (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600
        return try names.map { name in
            let file = try SepsisStayFile(contentsOf: stayDirectory.appendingPathComponent(name))
            let start = Date(timeIntervalSince1970: hour - Double(file.hours.count) * 3600)
            return SepsisStayMessages(stay: String(name.dropLast(4)), file: file, start: start).messages()
        }
    }
}
