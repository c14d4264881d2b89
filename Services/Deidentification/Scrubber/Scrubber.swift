/// Finds PHI in free text with patterns, context rules, word lists and the patient's own identifiers, and
/// replaces it with readable tags. The service, `vigil deid eval` and the benchmark share this type.
public struct Scrubber: Sendable {
    public struct Options: Sendable, Hashable {
        /// Tag occupations (`PROFESSION`). Off by default: Safe Harbor does not list them.
        public var professions: Bool

        public init(professions: Bool = false) {
            self.professions = professions
        }
    }

    public var options: Options
    let lexicon: Lexicon

    public init(options: Options = Options(), lexicon: Lexicon = .shared) {
        self.options = options
        self.lexicon = lexicon
    }

    /// PHI spans in Unicode scalar offsets, end exclusive, sorted and non-overlapping.
    public func detect(_ text: String, known: KnownPHI = .none) -> [PHISpan] {
        var scan = Scan(text: text, lexicon: lexicon)
        scan.detectChunks()
        scan.detectNumbers()
        scan.detectCodedIDs()
        scan.detectRelativeDates()
        scan.detectWordDates()
        scan.detectContextNames()
        scan.detectContextPlaces()
        scan.detectDictionaryWords()
        scan.detectLowercaseNames()
        scan.detectTitleCaseRuns()
        if options.professions { scan.detectProfessions() }
        if !known.isEmpty { scan.detectKnown(known.needles(isCommon: scan.isCommon)) }
        return SpanMerger.merge(scan.spans, scalars: scan.scalars)
    }

    /// `text` with each span replaced by `[NAME]`-style tags (`[AGE 90+]` for ages); a date becomes what
    /// `dateShift` returns for it, or `[DATE]` when it returns nil or is absent.
    public func redact(_ text: String, spans: [PHISpan], dateShift: ((String) -> String?)? = nil) -> String {
        Redactor.redact(text, spans: spans, dateShift: dateShift)
    }

    /// Detects and redacts in one call.
    public func scrub(_ text: String, known: KnownPHI = .none, dateShift: ((String) -> String?)? = nil) -> String {
        redact(text, spans: detect(text, known: known), dateShift: dateShift)
    }
}
