/// The LOINC codes the bedside scores read (the same codes ingest's code map produces), with how long a
/// value stays fresh.
enum VitalCode {
    static let respiratoryRate = "9279-1"
    static let spo2 = "59408-5"
    static let o2Flow = "3151-8"
    static let fio2 = "3150-0"
    static let ventilatorFio2 = "19994-3"
    static let systolic = "8480-6"
    static let heartRate = "8867-4"
    static let consciousness = "67775-7"
    static let gcs = "9269-2"
    static let temperature = "8310-5"
    static let wbc = "6690-2"
    static let bands = "764-1"
    static let paco2 = "2019-8"
    static let creatinineMass = "2160-0"
    static let creatinineMolar = "14682-9"

    /// Seconds a value counts as current.
    static let freshness: [String: Double] = [
        respiratoryRate: 4 * 3600, spo2: 4 * 3600, o2Flow: 4 * 3600, fio2: 4 * 3600, ventilatorFio2: 4 * 3600,
        systolic: 4 * 3600, heartRate: 4 * 3600, consciousness: 4 * 3600, gcs: 4 * 3600, temperature: 8 * 3600,
        wbc: 24 * 3600, bands: 24 * 3600, paco2: 24 * 3600, creatinineMass: 7 * 86_400, creatinineMolar: 7 * 86_400,
    ]

    static var all: Set<String> { Set(freshness.keys) }
}
