import Foundation

/// The patient's own structured identifiers (from the event's identified patient). The scrubber always finds
/// them in the note, case- and diacritic-insensitively, on token boundaries, also when written with other
/// separators (`1234-5678` for `12345678`, `SMITH^JOHN`, `(555) 123-4567` as `555.123.4567`).
public struct KnownPHI: Sendable, Hashable {
    public struct BirthDate: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
        public init(year: Int, month: Int, day: Int) {
            self.year = year
            self.month = month
            self.day = day
        }
    }

    /// Full names or parts in any form: `John Smith`, `Smith, John`, `SMITH^JOHN^A`.
    public var names: [String]
    /// MRN, SSN, licence, insurance and other identifier values.
    public var identifiers: [String]
    public var phones: [String]
    public var emails: [String]
    public var addressLines: [String]
    public var cities: [String]
    public var postalCodes: [String]
    public var birthDate: BirthDate?

    public init(
        names: [String] = [], identifiers: [String] = [], phones: [String] = [], emails: [String] = [],
        addressLines: [String] = [], cities: [String] = [], postalCodes: [String] = [], birthDate: BirthDate? = nil
    ) {
        self.names = names
        self.identifiers = identifiers
        self.phones = phones
        self.emails = emails
        self.addressLines = addressLines
        self.cities = cities
        self.postalCodes = postalCodes
        self.birthDate = birthDate
    }

    public static let none = KnownPHI()

    public var isEmpty: Bool {
        names.isEmpty && identifiers.isEmpty && phones.isEmpty && emails.isEmpty && addressLines.isEmpty
            && cities.isEmpty && postalCodes.isEmpty && birthDate == nil
    }
}

/// One searchable form of a known identifier: its folded letters and digits without separators.
struct Needle {
    var text: String
    var type: PHIType
    /// A name part or city that is also an ordinary word ("White", "Mobile") counts only when capitalised.
    var needsCapital: Bool
}

enum Fold {
    /// Lower case without diacritics, letters and digits only.
    static func alnum(_ s: String) -> String {
        let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return String(
            String.UnicodeScalarView(folded.unicodeScalars.filter { Scalars.isLetter($0) || Scalars.isDigit($0) }))
    }

    static func words(_ s: String) -> [String] {
        s.split { !($0.isLetter || $0.isNumber || $0 == "'") }.map { alnum(String($0)) }.filter { !$0.isEmpty }
    }
}
