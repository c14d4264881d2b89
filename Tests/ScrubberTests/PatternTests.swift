import DeidScrubber
import Testing

/// One test per kind of PHI the scrubber looks for, on sentences written for the test.
@Suite struct PatternTests {
    @Test func namesWithTitlesAndInitials() {
        #expect(detects("Dr. Emily White", in: "Seen by Dr. Emily White in clinic."))
        #expect(detects("Mrs J. Brown", in: "Discussed with Mrs J. Brown at bedside."))
        #expect(detects("Sarah P.", in: "A 50-year-old woman, Sarah P., with GERD."))
        #expect(detects("John A. Leiva", in: "Consent signed by John A. Leiva today."))
        #expect(detects("John Smith", in: "Pt John Smith, 52M, admitted for CHF."))
        #expect(detects("Krisztián Szöllösy", in: "Krisztián Szöllösy visited on the ward."))
        #expect(detects("Gijn", in: "Dyan van Gijn called the unit."))
    }

    @Test func ordinaryCapitalisedWordsStay() {
        let text = "Patient denies chest pain. Vitamin D level low; Bell's palsy resolved. Type A personality."
        #expect(scrubber.detect(text).isEmpty)
        #expect(leaves("Parkinson", in: "History of Parkinson disease."))
    }

    @Test(arguments: [
        "03/12/2021", "3/12/21", "2021-03-12", "2018-01-14 03:07:43", "12.03.2021", "17-Feb-2023", "Feb 21, 2023",
        "Oct. 13th, 2022", "March 5th, 2021", "5th of March 2021", "17 February 2023", "March 2021", "Saturday",
        "last week",
    ])
    func datesInManyFormats(date: String) {
        #expect(detects(date, in: "Follow-up on \(date) in clinic."))
    }

    @Test func agesOverEightyNineOnly() {
        let old = scrubber.detect("A 93-year-old man, aged 97, and a 92 yo woman.")
        #expect(old.filter { $0.type == .age }.count == 3)
        #expect(scrubber.detect("A 70-year-old man and a 45 yo woman.").isEmpty)
        #expect(detects("101yo", in: "Pt is 101yo, frail."))
    }

    @Test(arguments: [
        "555-123-4567", "(602)272-9781", "+44 20 7946 0958", "0490 39 07 81", "345-899-3560x4587", "03.93.92.16.85",
    ])
    func phonesAndFaxes(phone: String) {
        #expect(detects(phone, in: "Call back at \(phone) or fax."))
    }

    @Test func emailsURLsAndIPs() {
        let text =
            "Mail john.doe123@example.com, see https://www.example.org/a?b=1 or portal.health.com; host 10.0.12.7."
        #expect(detects("john.doe123@example.com", in: text))
        #expect(detects("https://www.example.org/a?b=1", in: text))
        #expect(detects("portal.health.com", in: text))
        #expect(detects("10.0.12.7", in: text))
        #expect(detects("2001:db8:85a3::8a2e:370:7334", in: "IPv6 2001:db8:85a3::8a2e:370:7334 logged."))
    }

    @Test func ssnAndOtherIdentifiers() {
        #expect(detects("123-45-6789", in: "SSN 123-45-6789 on file."))
        #expect(detects("MS-12345678", in: "MRN: MS-12345678."))
        #expect(detects("#SF-998877", in: "(MRN: #SF-998877)"))
        #expect(detects("12345-JS", in: "under MRN 12345-JS?"))
        #expect(detects("H678934", in: "Account H678934 billed."))
        #expect(detects("4111 1111 1111 1111", in: "Card 4111 1111 1111 1111 declined."))
        #expect(detects("GB90YNTU67299444055881", in: "IBAN GB90YNTU67299444055881."))
        #expect(detects("4471", in: "MRN: 4471"))
        // Doses, ordinals and ratios are not identifiers.
        #expect(scrubber.detect("Metformin 500mg BID, 2nd dose, BP 120/80, 1:1 ratio.").isEmpty)
    }

    @Test func streetAddressesAndZip() {
        #expect(detects("1089 Ankunding Gateway", in: "Lives at 1089 Ankunding Gateway, Boston, MA 02108."))
        #expect(detects("02108", in: "Lives at 1089 Ankunding Gateway, Boston, MA 02108."))
        #expect(detects("Boston, MA", in: "Lives at 1089 Ankunding Gateway, Boston, MA 02108."))
        #expect(detects("P.O. Box 242", in: "Mail to P.O. Box 242 please."))
        #expect(detects("Apt. 864", in: "6750 Koskikatu 25 Apt. 864\nArtilleros"))
        #expect(detects("Koskikatu 25", in: "6750 Koskikatu 25 Apt. 864\nArtilleros"))
        #expect(detects("Springfield, IL", in: "Moved from Springfield, IL last year."))
    }

    @Test func hospitalsAndOrganisations() {
        #expect(detects("Cleveland Clinic", in: "Transferred from Cleveland Clinic overnight."))
        #expect(detects("St. Joseph's Hospital", in: "Admitted to St. Joseph's Hospital."))
        #expect(detects("Cedars-Sinai", in: "Seen at Cedars-Sinai on Friday."))
        #expect(detects("Brigham and Women's Hospital", in: "Seen at Brigham and Women's Hospital today."))
        #expect(detects("Wolfram Research", in: "Works for Wolfram Research."))
        #expect(detects("Acme Holdings Inc.", in: "Employer: Acme Holdings Inc. (self-insured)"))
        #expect(detects("Houston", in: "She lives in Houston with her son."))
    }

    @Test func professionsOnlyWhenConfigured() {
        let text = "He works as a local transit bus driver."
        #expect(!detects("driver", in: text))
        #expect(detects("local transit bus driver", in: text, with: Scrubber(options: .init(professions: true))))
    }

    @Test func offsetsAreUnicodeScalars() {
        // CRLF is two scalars, the emoji one, e + combining acute two: offsets must count scalars.
        let text = "Note\r\n😀 Rene\u{301}e called 555-123-4567."
        let spans = scrubber.detect(text)
        let phone = scalarRange(of: "555-123-4567", in: text)!
        #expect(spans.contains { $0.start == phone.lowerBound && $0.end == phone.upperBound })
        #expect(detects("Rene\u{301}e", in: text))
    }

    @Test func spansAreSortedAndDisjoint() {
        let spans = scrubber.detect("Dr. Emily White, 555-123-4567, Boston, MA 02108, on Feb 21, 2023 and March 2024.")
        for (a, b) in zip(spans, spans.dropFirst()) { #expect(a.end <= b.start) }
        #expect(spans.allSatisfy { $0.start < $0.end })
    }
}
