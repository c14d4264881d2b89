/// The role × route table of design §6, as data: what each role may do, and whether it is limited to the
/// principal's units. A principal with several roles gets the widest grant of any of them.
public enum Authorizer {
    public enum Route: String, Sendable, Hashable, CaseIterable {
        /// `GET /api/alerts`, `GET /api/alerts/{id}`, the worklist and alert page.
        case readAlerts = "alerts.read"
        /// Acknowledge, override, snooze.
        case actOnAlerts = "alerts.act"
        case readModels = "models.read"
        /// The stop switch: stop and restart.
        case changeModels = "models.change"
        case readFatigue = "fatigue.read"
        /// Webhook subscriptions and deliveries; `ownUnits` here means the principal's own subscriptions.
        case readSubscriptions = "subscriptions.read"
        case changeSubscriptions = "subscriptions.change"
        case readDeliveries = "deliveries.read"
        case retryDeliveries = "deliveries.retry"
        /// Ask deid for a short-lived reid grant for an alert's patient (design §7 "No PHI in notify").
        case revealIdentity = "identity.reveal"
        /// Alert policy versions: list and show; propose, approve, reject, roll back (two different admins to
        /// propose and approve).
        case readPolicies = "policies.read"
        case changePolicies = "policies.change"
    }

    public enum Grant: Sendable, Hashable {
        case denied
        /// Only alerts whose unit the principal covers.
        case ownUnits
        case all
    }

    static let table: [Route: [NotifyPrincipals.Role: Grant]] = [
        .readAlerts: [.clinician: .ownUnits, .auditor: .all, .admin: .all, .integration: .all],
        .actOnAlerts: [.clinician: .ownUnits],
        .readModels: [.clinician: .all, .auditor: .all, .admin: .all],
        .changeModels: [.admin: .all],
        .readFatigue: [.clinician: .all, .auditor: .all, .admin: .all],
        .readSubscriptions: [.auditor: .all, .admin: .all, .integration: .ownUnits],
        .changeSubscriptions: [.admin: .all, .integration: .ownUnits],
        .readDeliveries: [.auditor: .all, .admin: .all, .integration: .ownUnits],
        .retryDeliveries: [.admin: .all, .integration: .ownUnits],
        .revealIdentity: [.clinician: .ownUnits],
        .readPolicies: [.auditor: .all, .admin: .all],
        .changePolicies: [.admin: .all],
    ]

    public static func grant(_ principal: NotifyPrincipals.Principal, _ route: Route) -> Grant {
        let grants = principal.roles.map { table[route]?[$0] ?? .denied }
        if grants.contains(.all) { return .all }
        return grants.contains(.ownUnits) ? .ownUnits : .denied
    }

    /// Whether `principal` may use `route` on an alert of `unit`.
    public static func allows(_ principal: NotifyPrincipals.Principal, _ route: Route, unit: String?) -> Bool {
        switch grant(principal, route) {
        case .denied: false
        case .all: true
        case .ownUnits: principal.covers(unit: unit)
        }
    }

    /// The role recorded in audit details: the one that grants the route.
    public static func actingRole(_ principal: NotifyPrincipals.Principal, _ route: Route) -> String {
        let roles = NotifyPrincipals.Role.allCases.filter { principal.roles.contains($0) && table[route]?[$0] != nil }
        return roles.first?.rawValue ?? "none"
    }
}
