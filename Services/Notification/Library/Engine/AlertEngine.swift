import Foundation
import VigilModelCore

/// The episode state machine of design §4 as a pure function: `(state?, input, now) → (newState?, effects)`.
/// No I/O and no clock, so the service, replays (`vigil shadow`), the bench and tests all run the same code.
///
/// `state` is the patient's latest episode of the input's condition, live or closed: a closed one still carries
/// the override hold.
public struct AlertEngine: Sendable {
    public let policy: AlertPolicy
    public let policyHash: String
    static let systemActor = "service:notify"

    public init(policy: AlertPolicy) {
        self.policy = policy
        self.policyHash = policy.hash
    }

    /// Throws only for `.human` inputs the episode cannot accept.
    public func apply(
        _ state: EpisodeState?, _ input: EngineInput, now: Date
    ) throws(AlertActionError) -> EngineResult {
        switch input {
        case .record(let record, let context):
            return onRecord(state, record, context, now: now)
        case .timer(let timer):
            guard var episode = state, episode.id == timer.alertID, episode.status.isLive else {
                return noChange(state)
            }
            var effects: [Effect] = []
            onTimer(&episode, timer, now: now, &effects)
            return EngineResult(newState: episode, effects: effects)
        case .human(let actor, let action, let revision):
            return try onHuman(state, actor: actor, action: action, revision: revision, now: now)
        case .care(let event):
            guard var episode = state, episode.status.isLive else { return noChange(state) }
            var effects: [Effect] = []
            onCare(&episode, event, now: now, &effects)
            return EngineResult(newState: episode, effects: effects)
        case .modelStopped(let modelID):
            guard var episode = state, episode.status.isLive, episode.model.id == modelID else {
                return noChange(state)
            }
            var effects: [Effect] = []
            close(&episode, .retracted, .modelStopped, now: now, &effects)
            return EngineResult(newState: episode, effects: effects)
        }
    }

    func noChange(_ state: EpisodeState?) -> EngineResult { EngineResult(newState: state, effects: []) }

    // MARK: Shared by the transitions

    /// Appends the next revision's event. Every event is one revision, so ids follow from (alert, revision).
    func emit(
        _ episode: inout EpisodeState, _ action: AlertEvent.Action, page: Bool, reason: String?, now: Date,
        actor: String = systemActor, text: String? = nil, _ effects: inout [Effect]
    ) {
        episode.revision += 1
        let factors = episode.parts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { AlertEvent.Factor(name: $0.key, contribution: $0.value) }
        let event = AlertEvent(
            id: EpisodeState.eventID(alertID: episode.id, revision: episode.revision), alertID: episode.id,
            patient: episode.patient, action: action, severity: episode.severity, rule: episode.rule,
            factors: factors, model: episode.model, riskRecordID: episode.riskID, time: now, actor: actor,
            reason: text)
        effects.append(
            .emit(
                AlertEmission(
                    event: event,
                    lifecycle: AlertEvent.Lifecycle(
                        revision: episode.revision, page: page, reasonCode: reason,
                        escalationLevel: episode.escalationLevel, targets: episode.targets, unit: episode.unit,
                        scoreName: episode.scoreName, score: episode.score, policyHash: episode.policyHash,
                        inputEventIDs: episode.basis, snoozedUntil: episode.snoozedUntil),
                    inputsAsOf: episode.inputsAsOf)))
    }

    func emit(
        _ episode: inout EpisodeState, _ action: AlertEvent.Action, page: Bool, _ reason: AlertReason?, now: Date,
        _ effects: inout [Effect]
    ) {
        emit(&episode, action, page: page, reason: reason?.rawValue, now: now, &effects)
    }

    /// Ends the episode (resolved or retracted) and drops every timer it had.
    func close(
        _ episode: inout EpisodeState, _ status: EpisodeState.Status, _ reason: AlertReason, now: Date,
        _ effects: inout [Effect]
    ) {
        episode.status = status
        episode.closedAt = now
        episode.closeCode = reason.rawValue
        episode.snoozedUntil = nil
        emit(&episode, status == .resolved ? .resolved : .retracted, page: false, reason, now: now, &effects)
        effects.append(.cancelTimers(alertID: episode.id, kinds: TimerKind.allCases))
    }

    func setTimer(_ episode: EpisodeState, _ kind: TimerKind, at due: Date, step: Int = 0, _ effects: inout [Effect]) {
        effects.append(.setTimer(EngineTimer(alertID: episode.id, kind: kind, dueAt: due, step: step)))
    }

    func cancel(_ episode: EpisodeState, _ kinds: [TimerKind], _ effects: inout [Effect]) {
        effects.append(.cancelTimers(alertID: episode.id, kinds: kinds))
    }

    /// The ladder the episode climbs: its rule's, routed by its unit. A rule the policy no longer has routes by
    /// unit alone.
    func ladder(of episode: EpisodeState) -> [AlertPolicy.LadderStep] {
        if let rule = policy.condition(id: episode.condition)?.rule(id: episode.rule) {
            return policy.ladder(for: rule, unit: episode.unit)
        }
        return policy.ladders[policy.routedLadder(unit: episode.unit)] ?? []
    }

    /// Schedules the step after the current one, if the ladder has one.
    func scheduleNextStep(_ episode: EpisodeState, _ effects: inout [Effect]) {
        let steps = ladder(of: episode)
        let next = episode.escalationLevel + 1
        if next < steps.count {
            setTimer(episode, .escalate, at: episode.ladderStartedAt + steps[next].after, step: next, &effects)
        } else {
            cancel(episode, [.escalate], &effects)
        }
    }

    /// Puts the ladder back at step 0 (a raise or a severity rise) and reminders back at their first interval;
    /// `scheduleLadder` then sets the timers, after the event that announces it.
    func restartLadder(_ episode: inout EpisodeState, now: Date) {
        episode.escalationLevel = 0
        episode.ladderStartedAt = now
        episode.targets = ladder(of: episode).first?.targets ?? []
        episode.remindInterval = policy.defaults.remind.first
    }

    func scheduleLadder(_ episode: EpisodeState, now: Date, _ effects: inout [Effect]) {
        scheduleNextStep(episode, &effects)
        setTimer(episode, .remind, at: now + episode.remindInterval, &effects)
    }
}
