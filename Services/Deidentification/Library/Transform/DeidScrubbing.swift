import DeidScrubber
import Foundation
import VigilPHI

/// The free-text scrubber the service runs: DeidScrubber's patterns, dictionaries and context rules, told
/// the event's own identifiers, with dates shifted by the patient's offset; then the known-identity pass
/// again, so the patient's own identifiers go whatever the rules missed.
public enum DeidScrubbingFactory {
    public static func make(policy: DeidPolicy) -> any TextScrubbing {
        FullScrubber(scrubber: Scrubber(options: .init(professions: policy.parameters.scrubProfessions)))
    }
}

struct FullScrubber: TextScrubbing {
    let scrubber: Scrubber
    static let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())

    func scrub(_ text: String, known: KnownIdentity, shiftDays: Int) throws -> (text: String, spans: [String: Int]) {
        let phi = KnownPHI(known)
        let spans = scrubber.detect(text, known: phi)
        var counts: [String: Int] = [:]
        for span in spans { counts[span.type.rawValue, default: 0] += 1 }
        let redacted = scrubber.redact(text, spans: spans) { date in
            // Safe Harbor allows the year alone, unless it could put someone over 89 (a birth year);
            // anything else is shifted or, if unreadable, `[DATE]`.
            let bare = date.trimmingCharacters(in: .whitespaces)
            if bare.count == 4, let year = Int(bare), (Self.thisYear - 89...Self.thisYear + 1).contains(year) { return bare }
            return TextDateShifter.shift(date, days: shiftDays)
        }
        let second = try KnownIdentityRedactor().scrub(redacted, known: known, shiftDays: shiftDays)
        return (second.text, counts.merging(second.spans, uniquingKeysWith: +))
    }
}

extension KnownPHI {
    init(_ known: KnownIdentity) {
        self.init(
            names: known.names, identifiers: known.identifiers, phones: known.phones, emails: known.emails,
            addressLines: known.addressLines, cities: known.cities, postalCodes: known.postalCodes,
            birthDate: known.birthDate.flatMap { date in
                guard let month = date.month, let day = date.day else { return nil }
                return KnownPHI.BirthDate(year: date.year, month: month, day: day)
            })
    }
}
