import DeidScrubber
import Foundation
import Testing

/// Nursing, discharge and radiology notes written for these tests around Synthea identities
/// (Tests/Fixtures/fhir_r4/synthea): the PHI is placed by the test, so its gold spans are known.
@Suite struct SyntheaNoteTests {
    struct Identity {
        var given: String
        var family: String
        var birthDate: String  // YYYY-MM-DD
        var phone: String
        var line: String
        var city: String
        var zip: String
        var ssn: String
        var licence: String
        var mrn: String

        var birth: KnownPHI.BirthDate {
            let p = birthDate.split(separator: "-").map { Int($0)! }
            return .init(year: p[0], month: p[1], day: p[2])
        }
        var usBirthDate: String {
            let p = birthDate.split(separator: "-")
            return "\(p[1])/\(p[2])/\(p[0])"
        }
        var known: KnownPHI {
            KnownPHI(
                names: ["\(given) \(family)"], identifiers: [mrn, ssn, licence], phones: [phone], addressLines: [line],
                cities: [city], postalCodes: [zip], birthDate: birth)
        }
    }

    /// The first Patient resource of a Synthea bundle.
    static func identity(_ file: String) throws -> Identity {
        let url = fixtures.appendingPathComponent("fhir_r4/synthea/\(file)")
        let bundle = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let entries = bundle["entry"] as! [[String: Any]]
        let patient = entries.map { $0["resource"] as! [String: Any] }.first {
            $0["resourceType"] as? String == "Patient"
        }!
        let name = (patient["name"] as! [[String: Any]])[0]
        let address = (patient["address"] as! [[String: Any]])[0]
        let identifiers = patient["identifier"] as! [[String: Any]]
        func id(_ code: String) -> String {
            identifiers.first {
                (($0["type"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == code
            }?["value"] as? String ?? ""
        }
        return Identity(
            given: (name["given"] as! [String])[0], family: name["family"] as! String,
            birthDate: patient["birthDate"] as! String,
            phone: (patient["telecom"] as! [[String: Any]])[0]["value"] as! String,
            line: (address["line"] as! [String])[0], city: address["city"] as! String,
            zip: address["postalCode"] as! String, ssn: id("SS"), licence: id("DL"), mrn: id("MR"))
    }

    /// A note assembled from text and PHI pieces, with the gold spans of the PHI.
    struct Note {
        var text = ""
        var gold: [Range<Int>] = []
        private var length = 0

        mutating func t(_ s: String) { append(s) }
        mutating func phi(_ s: String) {
            let start = length
            append(s)
            gold.append(start..<length)
        }
        private mutating func append(_ s: String) {
            text += s
            length += s.unicodeScalars.count
        }
    }

    static func nursing(_ p: Identity, _ nurse: Identity, _ doctor: Identity) -> Note {
        var n = Note()
        n.t("NURSING NOTE  "); n.phi("03/14/2024"); n.t(" 07:15\nPt "); n.phi("\(p.given) \(p.family)")
        n.t(" (MRN "); n.phi(p.mrn); n.t(") resting in bed, A&Ox3. Daughter at bedside, reachable at ")
        n.phi(p.phone); n.t(". Denies pain 0/10. Ambulated with assist x1.\n")
        n.phi("Dr. \(doctor.family)"); n.t(" aware of BP 150/92, HR 88. Metformin held per order.\n")
        n.t("Plan: continue current meds, recheck vitals q4h, fall precautions.\nSigned: ")
        n.phi("\(nurse.given) \(nurse.family)"); n.t(", RN")
        return n
    }

    static func discharge(_ p: Identity, _ doctor: Identity) -> Note {
        var n = Note()
        n.t("DISCHARGE SUMMARY\nPatient: "); n.phi("\(p.family.uppercased()), \(p.given.uppercased())")
        n.t("   DOB: "); n.phi(p.usBirthDate); n.t("   MRN: "); n.phi(p.mrn)
        n.t("\nAdmitted: "); n.phi("March 3, 2024"); n.t("   Discharged: "); n.phi("March 9, 2024")
        n.t("\nAttending: "); n.phi("\(doctor.given) \(doctor.family)"); n.t(", MD")
        n.t("\n\nHospital course: "); n.phi(p.given)
        n.t(" was admitted to "); n.phi("Boston Medical Center")
        n.t(" with community-acquired pneumonia and treated with ceftriaxone and azithromycin. ")
        n.t("Oxygen weaned to room air on hospital day 4.\nHome address: "); n.phi("\(p.line), \(p.city), MA \(p.zip)")
        n.t("\nSSN "); n.phi(p.ssn); n.t(" on file. Driver's licence "); n.phi(p.licence)
        n.t(".\nFollow-up: "); n.phi("Dr. \(doctor.family)"); n.t(" at ")
        n.phi("Dartmouth Family Clinic"); n.t(" on "); n.phi("April 2nd, 2024"); n.t(".")
        return n
    }

    static func radiology(_ p: Identity, _ radiologist: Identity) -> Note {
        var n = Note()
        n.t("EXAM: CT CHEST WITHOUT CONTRAST\nDATE: "); n.phi("2024-03-05 14:32")
        n.t("\nPATIENT: "); n.phi("\(p.given.uppercased()) \(p.family.uppercased())")
        n.t("   DOB: "); n.phi(p.birthDate)
        n.t("\nCOMPARISON: CT chest "); n.phi("01/22/2023"); n.t(".\n")
        n.t("FINDINGS: Patchy consolidation in the right lower lobe. No pleural effusion. Heart size normal.\n")
        n.t("IMPRESSION: Right lower lobe pneumonia.\nDictated by: ");
        n.phi("\(radiologist.given) \(radiologist.family)"); n.t(", MD")
        n.t("\nResults called to the floor at "); n.phi(p.phone); n.t(".")
        return n
    }

    static func notes() throws -> [Note] {
        let chet = try identity("Chet_Thompson_eda17701-070d-4fae-9f7d-c8cd6263b63a.json")
        let antonio = try identity("Antonio_Castellanos_6d2eba67-5b4a-403f-a29f-e6da3f1ea963.json")
        let gustavo = try identity("Gustavo_Mejía_59a8543c-e24f-4a01-b28b-47ccde6bc11d.json")
        let luigi = try identity("Luigi_Wiegand_e27d88b0-c5e5-4042-ad49-184f6a900ee3.json")
        return [nursing(chet, gustavo, luigi), discharge(antonio, luigi), radiology(gustavo, chet)]
    }

    @Test func everyPlacedIdentifierIsFoundWithTheKnownIdentity() throws {
        let chet = try Self.identity("Chet_Thompson_eda17701-070d-4fae-9f7d-c8cd6263b63a.json")
        let antonio = try Self.identity("Antonio_Castellanos_6d2eba67-5b4a-403f-a29f-e6da3f1ea963.json")
        let gustavo = try Self.identity("Gustavo_Mejía_59a8543c-e24f-4a01-b28b-47ccde6bc11d.json")
        for (note, patient) in zip(try Self.notes(), [chet, antonio, gustavo]) {
            let spans = scrubber.detect(note.text, known: patient.known)
            for range in note.gold { #expect(covers(spans, range, in: note.text), "missed a placed identifier") }
        }
    }

    @Test func everyPlacedIdentifierIsFoundWithoutTheIdentity() throws {
        for note in try Self.notes() {
            let spans = scrubber.detect(note.text)
            for range in note.gold { #expect(covers(spans, range, in: note.text), "missed a placed identifier") }
        }
    }

    @Test func clinicalTextSurvives() throws {
        for note in try Self.notes() {
            let out = scrubber.scrub(note.text)
            for phrase in ["pneumonia", "consolidation", "Metformin", "fall precautions", "IMPRESSION", "BP 150/92"]
            where note.text.contains(phrase) {
                #expect(out.contains(phrase))
            }
        }
    }
}
