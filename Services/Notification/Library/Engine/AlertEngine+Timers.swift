import Foundation

extension AlertEngine {
    /// A due timer of a live episode. Timers the state no longer expects (an escalation after an
    /// acknowledgement, a step already taken) are ignored, so a stale row firing late is harmless.
    func onTimer(_ episode: inout EpisodeState, _ timer: EngineTimer, now: Date, _ effects: inout [Effect]) {
        switch timer.kind {
        case .escalate:
            escalate(&episode, to: timer.step, now: now, &effects)
        case .remind:
            guard episode.status == .open else { return }
            emit(&episode, .updated, page: true, .reminder, now: now, &effects)
            let remind = policy.defaults.remind
            let grown = Int((Double(episode.remindInterval.seconds) * remind.factor).rounded())
            episode.remindInterval = PolicyDuration(seconds: min(grown, remind.max.seconds))
            setTimer(episode, .remind, at: now + episode.remindInterval, &effects)
        case .snoozeEnd:
            guard episode.status == .snoozed else { return }
            endSnooze(&episode, now: now, &effects)
        case .clearCheck:
            guard let since = episode.clearSince else { return }
            let clearFor = policy.condition(id: episode.condition)?.clear.for ?? PolicyDuration(seconds: 0)
            if now >= since + clearFor { close(&episode, .resolved, .scoreCleared, now: now, &effects) }
        case .expire:
            let due = episode.lastRecordAt + policy.defaults.expireAfter
            if now >= due {
                close(&episode, .resolved, .expired, now: now, &effects)
            } else {
                setTimer(episode, .expire, at: due, &effects)
            }
        case .correctionGrace:
            // No recomputed score arrived within the grace: the alert stands on data that was corrected.
            guard episode.pendingCorrection != nil else { return }
            close(&episode, .retracted, .inputCorrected, now: now, &effects)
        }
    }

    private func escalate(_ episode: inout EpisodeState, to step: Int, now: Date, _ effects: inout [Effect]) {
        let steps = ladder(of: episode)
        guard episode.status == .open, step == episode.escalationLevel + 1, step < steps.count else { return }
        episode.escalationLevel = step
        episode.targets = steps[step].targets
        if let raised = steps[step].raiseSeverityTo, raised > episode.severity {
            episode.severity = raised
            episode.escalatedTo = raised
        }
        emit(&episode, .escalated, page: true, nil, now: now, &effects)
        scheduleNextStep(episode, &effects)
    }

    /// The ladder and reminders resume where they were: the next step keeps its distance from the current one.
    private func endSnooze(_ episode: inout EpisodeState, now: Date, _ effects: inout [Effect]) {
        episode.status = .open
        episode.snoozedUntil = nil
        let steps = ladder(of: episode)
        let current = steps.indices.contains(episode.escalationLevel) ? steps[episode.escalationLevel].after.seconds : 0
        episode.ladderStartedAt = now.addingTimeInterval(-TimeInterval(current))
        episode.remindInterval = policy.defaults.remind.first
        emit(&episode, .updated, page: episode.qualifying, .snoozeEnded, now: now, &effects)
        scheduleLadder(episode, now: now, &effects)
    }
}
