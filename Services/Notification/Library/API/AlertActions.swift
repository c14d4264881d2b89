import Foundation
import VigilAudit
import VigilModelCore

/// A clinician's acknowledge, override or snooze, for the API and the page alike: unit scope checked under the
/// episode's row lock, the engine applied, and one audit entry per emitted event, all in one transaction.
struct AlertActions: Sendable {
    enum Refusal: Error {
        case notFound
        /// The alert's unit is outside the principal's scope (audited by the caller as a 403).
        case outOfScope
    }

    let store: AlertStore

    func perform(
        _ action: HumanAction, on id: EventID, revision: Int?, by principal: NotifyPrincipals.Principal,
        now: Date = Date()
    ) async throws -> EpisodeState {
        try await store.pool.withTransaction { connection in
            guard let current = try await AlertStore.load(.alert(id), connection) else { throw Refusal.notFound }
            guard Authorizer.allows(principal, .actOnAlerts, unit: current.unit) else { throw Refusal.outOfScope }
            let (episode, emitted) = try await store.apply(
                .human(actor: principal.actor, action: action, revision: revision), to: .alert(id), on: connection,
                now: now)
            for emission in emitted {
                var details = [
                    "revision": String(emission.revision), "role": Authorizer.actingRole(principal, .actOnAlerts),
                ]
                details["reasonCode"] = emission.reasonCode
                if case .snooze(let minutes) = action { details["minutes"] = String(minutes) }
                try await AuditLog.append(
                    using: connection, actor: principal.actor, action: "alert.\(Self.verb(action))",
                    subject: "alert:\(id.rawValue)", reason: emission.event.reason, details: details)
            }
            return episode ?? current
        }
    }

    static func verb(_ action: HumanAction) -> String {
        switch action {
        case .acknowledge: "acknowledge"
        case .override: "override"
        case .snooze: "snooze"
        }
    }
}
