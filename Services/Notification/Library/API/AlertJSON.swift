import Foundation
import VigilModelCore

/// The JSON shapes of `docs/openapi.yaml` (`Alert`, `AlertDetail`, `Revision`). Pseudonyms only.
enum AlertJSON {
    static func summary(_ episode: EpisodeState) -> [String: Any] {
        var json: [String: Any] = [
            "id": episode.id.rawValue, "patient": episode.patient.rawValue, "condition": episode.condition,
            "status": episode.status.rawValue, "severity": episode.severity.rawValue, "rule": episode.rule,
            "model": ["id": episode.model.id, "version": episode.model.version, "sha256": episode.model.sha256.hex],
            "scoreName": episode.scoreName, "score": episode.score, "revision": episode.revision,
            "escalationLevel": episode.escalationLevel, "targets": episode.targets, "policyHash": episode.policyHash,
            "openedAt": time(episode.openedAt),
        ]
        json["unit"] = episode.unit
        json["ackedAt"] = episode.ackedAt.map(time)
        json["ackedBy"] = episode.ackedBy
        json["snoozedUntil"] = episode.snoozedUntil.map(time)
        json["closedAt"] = episode.closedAt.map(time)
        json["closeCode"] = episode.closeCode
        json["overrideCode"] = episode.overrideCode?.rawValue
        return json
    }

    static func detail(_ episode: EpisodeState, _ revisions: [AlertQueries.Revision]) -> [String: Any] {
        var json = summary(episode)
        json["factors"] = episode.parts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { factor in
                var json: [String: Any] = ["name": factor.key, "contribution": factor.value]
                json["observed"] = episode.observed?[factor.key]
                return json
            }
        json["inputsAsOf"] = episode.inputsAsOf.map(time)
        json["missingInputs"] = episode.missingInputs ?? []
        json["upperBound"] = episode.upperBound
        json["inputEventIDs"] = episode.basis.map(\.rawValue)
        json["revisions"] = revisions.map(revision)
        return json
    }

    static func revision(_ revision: AlertQueries.Revision) -> [String: Any] {
        var json: [String: Any] = [
            "revision": revision.revision, "action": revision.action, "severity": revision.severity,
            "page": revision.page, "time": time(revision.time),
        ]
        json["actor"] = revision.actor
        json["reasonCode"] = revision.reasonCode
        json["reason"] = revision.reason
        return json
    }

    static func time(_ date: Date) -> String { Timestamp.format(date) ?? "" }
}
