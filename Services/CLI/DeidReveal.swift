import ArgumentParser
import Foundation
import VigilRuntime

/// `vigil deid reveal`: re-identifies one pseudonym through vigil-deid's endpoint, so the CLI takes exactly
/// the path (role, reason, rate limit, audit) every other caller takes.
struct DeidReveal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reveal",
        abstract: "Re-identify a pseudonym (needs the reidentify role or a grant, and a reason; audited).")

    @Argument(help: "The pseudonym (p1.…).") var pseudonym: String
    @Option(help: "Why (recorded in the audit log).") var reason: String
    @Option(help: "Bearer token of a principal with the reidentify role (env VIGIL_REID_TOKEN).")
    var token = ProcessInfo.processInfo.environment["VIGIL_REID_TOKEN"] ?? ""
    @Option(help: "A break-glass grant token instead of a bearer token.") var grant: String?
    @Option(help: "vigil-deid re-identification endpoint.") var url = "http://127.0.0.1:8092"

    func run() async throws {
        guard let base = URL(string: url), let host = base.host, base.scheme == "http" else {
            throw ValidationError("--url must be an http:// URL")
        }
        let authorization = grant.map { "Grant \($0)" } ?? "Bearer \(token)"
        let body = try JSONSerialization.data(withJSONObject: ["pseudonym": pseudonym, "reason": reason])
        let response = try await HTTP1Client.request(
            "POST", host: host, port: base.port ?? 80, path: "/reid/reveal",
            headers: [("Content-Type", "application/json"), ("Authorization", authorization)], body: Array(body))
        print(response.text)
        if response.status != 200 { throw ExitCode(response.status == 429 ? 75 : 77) }  // EX_TEMPFAIL, EX_NOPERM
    }
}
