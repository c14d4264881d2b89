/// Confirmed outcomes (e.g. a coded sepsis diagnosis with its onset time), which arrive after the fact as an
/// observation `29308-4 Diagnosis` whose coded value names the condition. Governance compares alerts with them
/// (PPV, sensitivity, lead time); they never raise alerts themselves.
public enum ClinicalOutcome {
    /// LOINC 29308-4 "Diagnosis": the observation that carries a confirmed diagnosis as a coded value.
    public static let diagnosis = Coding.loinc("29308-4", display: "Diagnosis")

    /// Diagnosis codes → the alert condition they confirm.
    public static let conditions: [Coding: String] = [
        Coding(system: Coding.System.snomedCT, code: "91302008"): "sepsis",
        Coding(system: Coding.System.snomedCT, code: "76571007"): "sepsis",  // septic shock
    ]

    /// The condition a clinical event confirms, if it is a coded diagnosis Vigil knows.
    public static func condition(of event: ClinicalEvent) -> String? {
        guard event.code.system == diagnosis.system, event.code.code == diagnosis.code,
            case .coded(let value)? = event.value
        else { return nil }
        return conditions[Coding(system: value.system, code: value.code)]
    }
}
