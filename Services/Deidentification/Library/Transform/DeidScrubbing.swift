/// The free-text scrubber the service runs: for now the patient's known identifiers only; the pattern,
/// dictionary and context layers (DeidScrubber) plug in here.
enum DeidScrubbing {
    static func make(policy: DeidPolicy) -> any TextScrubbing {
        KnownIdentityRedactor()
    }
}
