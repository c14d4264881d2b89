import Foundation

/// The JSON shapes of `docs/openapi.yaml` (`PolicyVersion`, `PolicyVersionDetail`).
enum PolicyJSON {
    /// `current`: the version in force now (nil: the configured policy).
    static func summary(_ version: PolicyVersion, current: Int?) -> [String: Any] {
        var json: [String: Any] = [
            "version": version.version, "name": version.name, "policyVersion": version.label, "hash": version.hash,
            "status": version.status.rawValue, "current": version.version == current,
            "proposedBy": version.proposedBy, "proposedAt": AlertJSON.time(version.proposedAt),
            "reason": version.reason, "shadowReportSHA256": version.shadowReportSHA256,
        ]
        json["approvedBy"] = version.approvedBy
        json["approvedAt"] = version.approvedAt.map(AlertJSON.time)
        json["effectiveFrom"] = version.effectiveAt.map(AlertJSON.time)
        json["rejectedBy"] = version.rejectedBy
        json["rejectedAt"] = version.rejectedAt.map(AlertJSON.time)
        json["rejectionReason"] = version.rejectionReason
        json["rolledBackBy"] = version.rolledBackBy
        json["rolledBackAt"] = version.rolledBackAt.map(AlertJSON.time)
        json["rollbackReason"] = version.rollbackReason
        return json
    }

    /// The summary with the YAML as proposed and the shadow report as a JSON object.
    static func detail(_ version: PolicyVersion, current: Int?) -> [String: Any] {
        var json = summary(version, current: current)
        json["yaml"] = version.yaml
        json["shadowReport"] = version.shadowReport.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        return json
    }
}
