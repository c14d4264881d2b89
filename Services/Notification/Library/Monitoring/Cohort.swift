import VigilModelCore

/// The cohorts monitoring cuts every window by, to expose unequal performance: age band, sex and unit.
/// Units do not reach de-identified events yet, so every patient is `unit:unknown` until they do.
public enum Cohort {
    public static let all = "all"

    public static func ageBand(_ years: Int?) -> String? {
        guard let years else { return nil }
        switch years {
        case ..<18: return "0-17"
        case ..<40: return "18-39"
        case ..<65: return "40-64"
        case ..<80: return "65-79"
        default: return "80+"
        }
    }

    /// The cohort keys a patient belongs to besides `all`.
    public static func keys(ageBand: String?, sex: String?, unit: String?) -> [String] {
        ["age:\(ageBand ?? "unknown")", "sex:\(sex ?? "unknown")", "unit:\(unit ?? "unknown")"]
    }
}
