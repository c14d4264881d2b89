import Foundation

extension AlertEngine {
    /// Minimum length of the free text an `other` override needs, so "other" cannot stand alone.
    public static let minimumOverrideText = 5

    func onHuman(
        _ state: EpisodeState?, actor: String, action: HumanAction, revision: Int?, now: Date
    ) throws(AlertActionError) -> EngineResult {
        guard var episode = state else { throw AlertActionError(.conflict, "no such alert") }
        // Acknowledging an acknowledged alert is not an error and not a new event, whatever revision was shown.
        if case .acknowledge = action, episode.status == .acknowledged {
            return EngineResult(newState: episode, effects: [])
        }
        if let revision, revision != episode.revision {
            throw AlertActionError(.staleRevision, "shown revision \(revision), current \(episode.revision)")
        }
        var effects: [Effect] = []
        switch action {
        case .acknowledge:
            guard episode.status == .open || episode.status == .snoozed else {
                throw notAllowed("acknowledge", episode)
            }
            episode.status = .acknowledged
            episode.ackedAt = now
            episode.ackedBy = actor
            episode.snoozedUntil = nil
            emit(&episode, .acknowledged, page: false, reason: nil, now: now, actor: actor, &effects)
            cancel(episode, [.escalate, .remind, .snoozeEnd], &effects)
        case .override(let code, let text):
            guard episode.status.isLive else { throw notAllowed("override", episode) }
            let reason = try overrideReason(code, text)
            let text = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            episode.status = .overridden
            episode.overrideCode = reason
            episode.overrideText = text?.isEmpty == false ? text : nil
            episode.holdUntil = now + policy.defaults.overrideHold
            episode.severityAtOverride = episode.severity
            episode.closedAt = now
            episode.closeCode = reason.rawValue
            episode.snoozedUntil = nil
            emit(
                &episode, .overridden, page: false, reason: reason.rawValue, now: now, actor: actor,
                text: episode.overrideText, &effects)
            effects.append(.cancelTimers(alertID: episode.id, kinds: TimerKind.allCases))
        case .snooze(let minutes):
            guard episode.status == .open || episode.status == .acknowledged else {
                throw notAllowed("snooze", episode)
            }
            let snooze = policy.defaults.snooze
            guard minutes > 0, minutes * 60 <= snooze.max.seconds else {
                throw AlertActionError(.invalid, "snooze must be 1 to \(snooze.max.seconds / 60) minutes")
            }
            guard snooze.allowedFor.contains(episode.severity) else {
                throw AlertActionError(.invalid, "\(episode.severity.rawValue) alerts cannot be snoozed")
            }
            episode.status = .snoozed
            episode.snoozedUntil = now.addingTimeInterval(TimeInterval(minutes * 60))
            emit(&episode, .snoozed, page: false, reason: nil, now: now, actor: actor, &effects)
            cancel(episode, [.escalate, .remind], &effects)
            setTimer(episode, .snoozeEnd, at: episode.snoozedUntil!, &effects)
        }
        return EngineResult(newState: episode, effects: effects)
    }

    private func overrideReason(_ code: String?, _ text: String?) throws(AlertActionError) -> OverrideReason {
        guard let code, let reason = OverrideReason(rawValue: code) else {
            let codes = OverrideReason.allCases.map(\.rawValue).joined(separator: ", ")
            throw AlertActionError(.invalid, "an override needs a reasonCode: one of \(codes)")
        }
        let length = text?.trimmingCharacters(in: .whitespacesAndNewlines).count ?? 0
        if reason == .other, length < Self.minimumOverrideText {
            throw AlertActionError(
                .invalid, "reasonCode other needs a text of at least \(Self.minimumOverrideText) characters")
        }
        return reason
    }

    private func notAllowed(_ action: String, _ episode: EpisodeState) -> AlertActionError {
        AlertActionError(.conflict, "cannot \(action) an alert that is \(episode.status.rawValue)")
    }
}
