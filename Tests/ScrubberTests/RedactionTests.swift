import DeidScrubber
import Testing

/// Redaction keeps the note readable: tags in place of PHI, layout and the rest untouched.
@Suite struct RedactionTests {
    @Test func tagsReplaceSpans() {
        let text = "Seen by Dr. Emily White, call 555-123-4567 or email e.white@example.com."
        #expect(scrubber.scrub(text) == "Seen by [NAME], call [PHONE] or email [EMAIL].")
    }

    @Test func agesAreTopCoded() {
        #expect(scrubber.scrub("A 93-year-old man.") == "A [AGE 90+]-year-old man.")
    }

    @Test func datesUseTheShiftClosure() {
        let text = "Admitted 03/12/2021, discharged 03/15/2021."
        let shifted = scrubber.scrub(text) { $0 == "03/12/2021" ? "02/05/2021" : nil }
        #expect(shifted == "Admitted 02/05/2021, discharged [DATE].")
    }

    @Test func multiLineSpansAreReplacedLineByLine() {
        let text = "Address:\n6750 Koskikatu 25 Apt. 864\nArtilleros\nThanks"
        let out = scrubber.scrub(text)
        #expect(out.split(separator: "\n", omittingEmptySubsequences: false).count == 4)
        #expect(out.hasPrefix("Address:\n[LOCATION]\n[LOCATION]\n"))
        #expect(out.hasSuffix("Thanks"))
    }

    @Test func labelsAndCredentialsSurvive() {
        let text =
            "Attending: Luigi Wiegand, MD\nHome: 119 Spencer Glen Suite 18, Dartmouth, MA 02714\n"
            + "SSN 999-59-8153 on file."
        #expect(scrubber.scrub(text) == "Attending: [NAME], MD\nHome: [LOCATION]\nSSN [ID] on file.")
    }

    @Test func textWithoutPHIIsUnchanged() {
        let text = "Vitals stable. Continue metformin.\r\nPlan: follow up in 2 weeks."
        #expect(scrubber.scrub(text) == text)
    }
}
