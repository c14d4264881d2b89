import DeidScrubber
import Testing

/// The patient's own identifiers are found in any case and in other written forms.
@Suite struct KnownPHITests {
    let known = KnownPHI(
        names: ["Rose White", "WHITE^ROSE^M"], identifiers: ["MRN-0042137"], phones: ["(555) 717-3375"],
        emails: ["rose.white@mail.example"], addressLines: ["1089 Ankunding Gateway"], cities: ["Mobile"],
        postalCodes: ["02108-1234"], birthDate: .init(year: 1939, month: 1, day: 27))

    @Test func nameInOddCaseAndOrder() {
        #expect(detects("ROSE WHITE", in: "PT ROSE WHITE SEEN", known: known))
        #expect(detects("white, rose", in: "per white, rose pt reports pain", known: known))
    }

    @Test func commonWordNamePartsOnlyWhenCapitalised() {
        // "White" and "Rose" are ordinary words: lower case they stay, capitalised they go.
        #expect(leaves("white", in: "Labs: white count rose overnight", known: known))
        #expect(detects("White", in: "Mrs White is comfortable", known: known))
    }

    @Test func identifierInOtherSeparators() {
        #expect(detects("0042137", in: "mrn 0042137 verified", known: known))
        #expect(detects("MRN 0042137", in: "MRN 0042137 verified", known: known))
    }

    @Test func phoneEmailAddressCityZip() {
        #expect(detects("555.717.3375", in: "call 555.717.3375", known: known))
        #expect(detects("717-3375", in: "call 717-3375", known: known))
        #expect(detects("rose.white@mail.example", in: "email rose.white@mail.example", known: known))
        #expect(detects("1089 ankunding gateway", in: "lives at 1089 ankunding gateway", known: known))
        #expect(detects("Mobile", in: "Lives in Mobile.", known: known))
        #expect(leaves("mobile", in: "Pt: mobile phone charged", known: known))
        #expect(detects("02108", in: "zip 02108", known: known))
    }

    @Test(arguments: [
        "1939-01-27", "01/27/1939", "1/27/39", "19390127", "January 27, 1939", "27 Jan 1939", "27.01.1939",
    ])
    func birthDateInManyForms(form: String) {
        #expect(detects(form, in: "DOB \(form).", known: known))
    }

    @Test func textWithoutCapitalsTreatsEveryNamePartAsAName() {
        // A note that has lost its case cannot tell the colour from the surname: it errs on the side of PHI.
        #expect(detects("white", in: "seen with white today", known: known))
    }

    @Test func diacriticsFold() {
        let mejia = KnownPHI(names: ["Gustavo Mejía"])
        #expect(detects("MEJIA", in: "PT MEJIA AMBULATING", known: mejia))
        #expect(detects("mejia", in: "seen mejia today", known: mejia))
    }
}
