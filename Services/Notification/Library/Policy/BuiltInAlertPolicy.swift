/// The built-in policy, identical to `config/notify/alert-policy.yaml` (a test keeps them equal): the default when
/// the service is given no policy file, so it starts without the config directory.
public enum BuiltInAlertPolicy {
    public static let yaml = """
        # Vigil alert policy: which risk records open alert episodes, at what severity, who is told and when it escalates
        # (docs/design/notification.md §3). Start-up fails on any unknown key, bad duration or missing hysteresis gap,
        # naming the condition and rule. The SHA-256 of the parsed policy is stamped on every decision and alert event.
        # Records of scores no condition lists (qsofa, sirs, mews) are decided `ignore`: they overlap NEWS2 at the bedside
        # and would add pages without adding information.
        apiVersion: vigil.notify/v1
        kind: AlertPolicy
        metadata: {name: ward-default, version: "1.0"}
        defaults:
          maxRecordAge: 1h            # older records (replays, backlog) are decided but never page: suppressed(stale)
          staleInputs: 4h             # newest input older than this: suppressed(stale)
          expireAfter: 12h            # live episode with no record for this long: resolved(expired)
          remind: {first: 30m, factor: 2, max: 4h}   # unacknowledged, same severity: quiet re-alerting, growing interval
          snooze: {max: 60m, allowedFor: [low, medium, high]}   # never for critical
          overrideHold: 8h            # after an override, the condition does not page again unless severity rises
          correctionGrace: 2m         # wait for the recomputed score before retracting on a corrected input
        targets: [ward-nurse, charge-nurse, ward-doctor, outreach-team, rapid-response]
        routes:                       # first match by unit code glob; `*` required last
          - {units: ["ICU*"], ladder: icu}
          - {units: ["*"], ladder: ward}
        ladders:
          ward:
            - {after: 0m,  targets: [ward-nurse]}
            - {after: 15m, targets: [ward-nurse, charge-nurse, ward-doctor]}
            - {after: 30m, targets: [outreach-team], raiseSeverityTo: critical}
          icu:
            - {after: 0m,  targets: [ward-doctor]}
            - {after: 10m, targets: [rapid-response]}
        conditions:                   # one episode per patient + condition; highest matching severity wins
          - id: news2
            models: [{id: news2, versions: ["rcp-2017.*"]}]
            score: news2
            # Resolve only after 30 min of records at 3 or less with no part = 3. A 4 neither raises nor clears: the
            # hysteresis gap below the threshold of 5 that keeps an episode from flapping.
            clear: {below: 4, for: 30m}
            rules:
              - {id: news2.urgent,  when: {score: {gte: 7}}, severity: critical}
              - {id: news2.review,  when: {score: {gte: 5}}, severity: high}
              - {id: news2.single3, when: {anyPart: {gte: 3}}, severity: high}
          - id: sepsis
            models: [{id: sepsis-lgbm, versions: ["1.*"]}]
            score: sepsis-risk
            # Placeholders: the model's decision threshold is about 0.01 (prevalence is low), so these are set for a
            # probability that low. The real values are to be set through issue 8's threshold workflow.
            clear: {below: 0.01, for: 2h}
            rules:
              - {id: sepsis.high,   when: {score: {gte: 0.05}}, severity: high}
              - {id: sepsis.medium, when: {score: {gte: 0.02}}, severity: medium, ladder: none}
          - id: aki
            models: [{id: kdigo, versions: ["kdigo-2012.*"]}]
            score: kdigo
            # The value is the KDIGO stage (0-3). Stage 1 neither raises nor clears; 24 h back at stage 0 resolves.
            clear: {below: 1, for: 24h}
            rules:
              - {id: aki.stage3, when: {score: {gte: 3}}, severity: high}
              - {id: aki.stage2, when: {score: {gte: 2}}, severity: medium, ladder: none}
        """
}
