import Foundation
import VigilModelCore

extension AlertEngine {
    func onRecord(_ state: EpisodeState?, _ record: RiskRecord, _ context: RecordContext, now: Date) -> EngineResult {
        let shadow = record.modelStatus == nil || record.modelStatus == .shadow
        var decision = Decision(
            riskID: record.id, patient: record.patient, model: record.model, scoreName: record.scoreName,
            value: record.value, eventTime: record.eventTime, mode: shadow ? .shadow : .live, outcome: .ignore,
            condition: nil, rule: nil, severity: nil, alertID: nil, policyHash: policyHash, decidedAt: now)
        guard let condition = policy.condition(for: record) else { return decided(state, decision) }
        let rule = condition.matchingRule(record)
        decision.condition = condition.id
        decision.rule = rule?.id
        decision.severity = rule?.severity
        let same = state.flatMap { $0.patient == record.patient && $0.condition == condition.id ? $0 : nil }
        let live = same?.status.isLive == true ? same : nil
        decision.alertID = live?.id
        if let reason = suppression(record, context, now: now) {
            decision.outcome = .suppress
            decision.suppressReason = reason
            return decided(state, decision)
        }
        if var episode = live {
            var effects: [Effect] = []
            decision.outcome = update(&episode, record, condition, rule, now: now, &effects)
            return EngineResult(newState: episode, effects: [.decide(decision)] + effects)
        }
        guard let rule else {
            decision.outcome = .clear
            return decided(state, decision)
        }
        if let held = same, held.status == .overridden, let until = held.holdUntil, now < until,
            rule.severity <= held.severityAtOverride ?? .critical
        {
            decision.outcome = .suppress
            decision.suppressReason = .overrideHold
            decision.alertID = held.id
            return decided(state, decision)
        }
        var effects: [Effect] = []
        let episode = raise(record, condition, rule, context, now: now, &effects)
        decision.outcome = .raise
        decision.alertID = episode.id
        return EngineResult(newState: episode, effects: [.decide(decision)] + effects)
    }

    private func decided(_ state: EpisodeState?, _ decision: Decision) -> EngineResult {
        EngineResult(newState: state, effects: [.decide(decision)])
    }

    /// Records that are decided but may not change an episode: only an active model's fresh output for a
    /// patient still in hospital alerts. A record without a status (schema 1.0) counts as shadow.
    private func suppression(_ record: RiskRecord, _ context: RecordContext, now: Date) -> Decision.SuppressReason? {
        switch record.modelStatus {
        case .active?: break
        case .shadow?, nil: return .shadow
        case .stopped?, .retired?: return .stopped
        }
        if context.modelStopped { return .stopped }
        let defaults = policy.defaults
        if now.timeIntervalSince(record.computedAt) > defaults.maxRecordAge.timeInterval { return .stale }
        if let asOf = record.eventTime, let latest = context.latestEventTime,
            latest.timeIntervalSince(asOf) > defaults.staleInputs.timeInterval
        {
            return .stale
        }
        return context.discharged ? .discharged : nil
    }

    private func raise(
        _ record: RiskRecord, _ condition: AlertPolicy.Condition, _ rule: AlertPolicy.Rule, _ context: RecordContext,
        now: Date, _ effects: inout [Effect]
    ) -> EpisodeState {
        var episode = EpisodeState(
            id: EpisodeState.alertID(patient: record.patient, condition: condition.id, openingRiskID: record.id),
            patient: record.patient, condition: condition.id, status: .open, severity: rule.severity, escalatedTo: nil,
            rule: rule.id, model: record.model, scoreName: record.scoreName, policyHash: policyHash,
            unit: context.unit, targets: [], escalationLevel: 0, ladderStartedAt: now, revision: 0, riskID: record.id,
            score: record.value, parts: record.parts, basis: record.inputEventIDs, inputsAsOf: record.eventTime,
            qualifying: true, openedAt: now, lastRecordAt: now, remindInterval: policy.defaults.remind.first)
        adopt(&episode, record)
        restartLadder(&episode, now: now)
        emit(&episode, .raised, page: true, nil, now: now, &effects)
        scheduleLadder(episode, now: now, &effects)
        setTimer(episode, .expire, at: now + policy.defaults.expireAfter, &effects)
        return episode
    }

    /// A record for a live episode: re-fire, rise, fall or a step towards clearing.
    private func update(
        _ episode: inout EpisodeState, _ record: RiskRecord, _ condition: AlertPolicy.Condition,
        _ rule: AlertPolicy.Rule?, now: Date, _ effects: inout [Effect]
    ) -> Decision.Outcome {
        episode.lastRecordAt = now
        setTimer(episode, .expire, at: now + policy.defaults.expireAfter, &effects)
        // The recomputed score after a correction: the alert now stands on corrected data.
        let corrected = episode.pendingCorrection.map { !record.inputEventIDs.contains($0) } ?? false
        if corrected {
            episode.pendingCorrection = nil
            cancel(episode, [.correctionGrace], &effects)
        }
        guard let rule else { return clearing(&episode, record, condition, corrected: corrected, now: now, &effects) }
        if episode.clearSince != nil {
            episode.clearSince = nil
            cancel(episode, [.clearCheck], &effects)
        }
        episode.qualifying = true
        adopt(&episode, record)
        let severity = max(rule.severity, episode.escalatedTo ?? .info)
        if severity > episode.severity {
            episode.severity = severity
            episode.escalatedTo = nil
            episode.rule = rule.id
            episode.status = .open
            episode.ackedAt = nil
            episode.ackedBy = nil
            if episode.snoozedUntil != nil {
                episode.snoozedUntil = nil
                cancel(episode, [.snoozeEnd], &effects)
            }
            restartLadder(&episode, now: now)
            emit(&episode, .updated, page: true, .severityRise, now: now, &effects)
            scheduleLadder(episode, now: now, &effects)
            return .rise
        }
        if severity < episode.severity {
            episode.severity = severity
            episode.rule = rule.id
            emit(&episode, .updated, page: false, corrected ? .inputCorrected : .severityFall, now: now, &effects)
            return .fall
        }
        if corrected { emit(&episode, .updated, page: false, .inputCorrected, now: now, &effects) }
        return .refire
    }

    /// Hysteresis: only records below `clear.below` count, continuously for `clear.for`; a record in the gap
    /// between `clear.below` and the lowest threshold holds the episode and restarts the count.
    private func clearing(
        _ episode: inout EpisodeState, _ record: RiskRecord, _ condition: AlertPolicy.Condition, corrected: Bool,
        now: Date, _ effects: inout [Effect]
    ) -> Decision.Outcome {
        episode.qualifying = false
        if corrected {
            adopt(&episode, record)
            emit(&episode, .updated, page: false, .inputCorrected, now: now, &effects)
        }
        guard record.value < condition.clear.below else {
            if episode.clearSince != nil {
                episode.clearSince = nil
                cancel(episode, [.clearCheck], &effects)
            }
            return .clear
        }
        guard let since = episode.clearSince else {
            episode.clearSince = now
            setTimer(episode, .clearCheck, at: now + condition.clear.for, &effects)
            return .clear
        }
        if now >= since + condition.clear.for { close(&episode, .resolved, .scoreCleared, now: now, &effects) }
        return .clear
    }

    /// The alert now stands on this record.
    private func adopt(_ episode: inout EpisodeState, _ record: RiskRecord) {
        episode.riskID = record.id
        episode.model = record.model
        episode.score = record.value
        episode.parts = record.parts
        episode.observed = record.observed.isEmpty ? nil : record.observed
        episode.basis = record.inputEventIDs
        episode.inputsAsOf = record.eventTime
        episode.missingInputs = record.missingInputs.isEmpty ? nil : record.missingInputs
        episode.upperBound = record.upperBound
    }
}
