import VigilPHI

/// The start every clinical resource mapping shares: resources whose status says they did not happen are
/// counted as ignored with a warning; the rest have their elements counted and their subject resolved.
extension FHIRMapper {
    /// The patient the resource is about, or nil when it is skipped or its subject cannot be resolved
    /// (already noted in the coverage and the outcome).
    mutating func admittedPatient(
        _ entry: FHIREntry, _ resource: FHIRJSON.Object, type: String, skippedStatuses: Set<String>,
        mapped: Set<String>
    ) -> IdentifiedPatient? {
        let status = resource["status"] as? String ?? ""
        if skippedStatuses.contains(status) {
            coverage.resource(type, .ignored)
            coverage.element(type, "status", .ignored)
            let article = "AEIOU".contains(type.first ?? " ") ? "an" : "a"
            log.warning(
                .informational, "\(article) \(type) with status \(status) is not ingested", at: entry.resourcePath + ".status")
            return nil
        }
        coverage.elements(of: resource, type: type, mapped: mapped)
        switch resolveSubject(entry, resource, type: type) {
        case .patient(let resolved):
            return resolved
        case .failure(let code, let diagnostics, let path):
            unmapped(entry, type, code, diagnostics, at: path)
            return nil
        }
    }
}
