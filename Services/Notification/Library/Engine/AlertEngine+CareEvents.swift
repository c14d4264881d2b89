import Foundation

extension AlertEngine {
    /// ADT and revision events for a live episode. Only the latest basis counts: a retraction of an event an
    /// older record used no longer touches what the alert says.
    func onCare(_ episode: inout EpisodeState, _ event: CareEvent, now: Date, _ effects: inout [Effect]) {
        switch event {
        case .discharge(let at):
            // A discharge from before the episode opened (a late ADT message of an earlier stay) changes nothing.
            guard at > episode.openedAt else { return }
            close(&episode, .retracted, .discharged, now: now, &effects)
        case .retraction(let id):
            guard episode.basis.contains(id) else { return }
            close(&episode, .retracted, .inputRetracted, now: now, &effects)
        case .correction(let id):
            guard episode.basis.contains(id) else { return }
            episode.pendingCorrection = id
            setTimer(episode, .correctionGrace, at: now + policy.defaults.correctionGrace, &effects)
        case .transfer(let unit):
            reroute(&episode, to: unit, now: now, &effects)
        }
    }

    /// A transfer moves the episode to the new unit's ladder at the same level: the new team is told at once
    /// (no page; reminders and escalation keep running).
    private func reroute(_ episode: inout EpisodeState, to unit: String?, now: Date, _ effects: inout [Effect]) {
        let before = ladder(of: episode)
        episode.unit = unit
        let after = ladder(of: episode)
        guard after != before, !after.isEmpty else { return }
        episode.escalationLevel = min(episode.escalationLevel, after.count - 1)
        episode.targets = after[episode.escalationLevel].targets
        episode.ladderStartedAt = now.addingTimeInterval(-after[episode.escalationLevel].after.timeInterval)
        emit(&episode, .updated, page: false, .transferred, now: now, &effects)
        if episode.status == .open { scheduleNextStep(episode, &effects) }
    }
}
