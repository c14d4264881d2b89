import Foundation
import Synchronization
import VigilAudit
import VigilModelCore

/// Audits refusals as `api.denied` with `{route, status, why}`. A named principal's denials are always written;
/// anonymous ones at most `perMinute` per source, the rest counted and summarised as one
/// `api.denied_suppressed` entry when the source's minute is over, so a scanner cannot flood the hash chain.
public final class DenialAudit: Sendable {
    struct Window {
        var start: Date
        var audited = 0
        var suppressed = 0
    }

    let audit: AuditLog
    let perMinute: Int
    private let windows = Mutex<[String: Window]>([:])

    public init(audit: AuditLog, perMinute: Int = 60) {
        self.audit = audit
        self.perMinute = perMinute
    }

    /// `actor` nil: no or an unknown credential. Never throws: a failed audit write must not turn a 401 into a 500.
    public func denied(
        actor: String?, source: String, subject: String, route: String, status: Int, why: String,
        action: String = "api.denied", now: Date = Date()
    ) async {
        if actor == nil {
            let (write, ended) = windows.withLock { windows in
                let ended = Self.takeEnded(&windows, now: now)
                var window = windows[source] ?? Window(start: now)
                let write = window.audited < perMinute
                if write { window.audited += 1 } else { window.suppressed += 1 }
                windows[source] = window
                return (write, ended)
            }
            await summarise(ended, now: now)
            guard write else { return }
        }
        _ = try? await audit.append(
            actor: actor ?? "anonymous", action: action, subject: subject,
            details: ["route": route, "status": String(status), "why": why, "source": source])
    }

    /// Writes the summaries of every finished minute (the API service calls this once a minute).
    public func flush(now: Date = Date()) async {
        let ended = windows.withLock { Self.takeEnded(&$0, now: now) }
        await summarise(ended, now: now)
    }

    private static func takeEnded(_ windows: inout [String: Window], now: Date) -> [(String, Window)] {
        let ended = windows.filter { now.timeIntervalSince($0.value.start) >= 60 }
        for source in ended.keys { windows[source] = nil }
        return ended.filter { $0.value.suppressed > 0 }.map { ($0.key, $0.value) }
    }

    private func summarise(_ ended: [(String, Window)], now: Date) async {
        for (source, window) in ended {
            _ = try? await audit.append(
                actor: "anonymous", action: "api.denied_suppressed", subject: "source:\(source)",
                details: [
                    "count": String(window.suppressed), "status": "401",
                    "from": Timestamp.format(window.start) ?? "", "to": Timestamp.format(now) ?? "",
                ])
        }
    }
}
