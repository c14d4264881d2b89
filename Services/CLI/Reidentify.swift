import ArgumentParser
import Foundation
import VigilModelCore
import VigilRuntime

/// `vigil reidentify` (and its older name `vigil deid reveal`): re-identifies one pseudonym through vigil-deid's
/// endpoint, so the CLI takes exactly the path (role, reason, rate limit, audit) every other caller takes.
struct Reidentify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-identify a pseudonym (needs a role and a reason; audited by vigil-deid).",
        discussion: RevealOptions.discussion)

    @OptionGroup var options: RevealOptions

    func run() async throws { try await options.reveal() }
}

/// `vigil deid reveal`: the same command as `vigil reidentify`.
struct DeidReveal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reveal", abstract: "Re-identify a pseudonym (same as `vigil reidentify`).",
        discussion: RevealOptions.discussion)

    @OptionGroup var options: RevealOptions

    func run() async throws { try await options.reveal() }
}

/// The role the caller acts in, which decides the credential sent.
enum RevealRole: String, ExpressibleByArgument, CaseIterable {
    /// A principal holding vigil-deid's `reidentify` role, with its bearer token.
    case reidentify
    /// A clinician with a break-glass grant for this one patient.
    case grantee
}

struct RevealOptions: ParsableArguments {
    static let discussion = """
        vigil-deid checks the credential, rate-limits and writes the audit entry (who, whom, why) before it \
        answers; refusals are audited too. --role reidentify sends the bearer token (VIGIL_REID_TOKEN or --token) \
        of a principal holding that role in VIGIL_DEID_REID_PRINCIPALS; --role grantee sends a break-glass grant \
        (--grant), minted for this one patient by a holder of the grant role. Prints the identity as JSON (PHI). \
        Exit 64 for a bad request, 65 for an unknown pseudonym, 75 when rate-limited or unavailable, 77 refused.
        """

    @Argument(help: "The pseudonym (p1.<key id>.<digest>).") var pseudonym: String
    @Option(help: "The role you act in: reidentify (bearer token) or grantee (break-glass grant).") var role: RevealRole
    @Option(help: "Why you need the identity (at least 5 characters; recorded in the audit log).") var reason: String
    @Option(help: "Bearer token of a principal with the reidentify role (env VIGIL_REID_TOKEN).")
    var token = ProcessInfo.processInfo.environment["VIGIL_REID_TOKEN"] ?? ""
    @Option(help: "A break-glass grant token (g1.…), with --role grantee.") var grant: String?
    @Option(help: "vigil-deid re-identification endpoint.") var url = "http://127.0.0.1:8092"

    func validate() throws {
        guard Pseudonym(pseudonym) != nil else {
            throw ValidationError("'\(pseudonym)' is not a pseudonym: expected p1.<key id>.<52 base32 characters>")
        }
        guard reason.trimmingCharacters(in: .whitespaces).count >= 5 else {
            throw ValidationError(
                "--reason must say why you need the identity, in at least 5 characters; it is audited")
        }
        switch role {
        case .reidentify where grant != nil:
            throw ValidationError("--grant goes with --role grantee; --role reidentify uses a bearer token")
        case .reidentify where token.isEmpty:
            throw ValidationError("--role reidentify needs a bearer token: set VIGIL_REID_TOKEN or pass --token")
        case .grantee where grant == nil:
            throw ValidationError("--role grantee needs --grant TOKEN, minted for this patient by a grant holder")
        default:
            break
        }
        guard let base = URL(string: url), base.host != nil, base.scheme == "http" else {
            throw ValidationError("--url must be an http:// URL, e.g. http://127.0.0.1:8092")
        }
    }

    func reveal() async throws {
        let base = URL(string: url)!
        let authorization = role == .grantee ? "Grant \(grant ?? "")" : "Bearer \(token)"
        let body = try JSONSerialization.data(withJSONObject: ["pseudonym": pseudonym, "reason": reason])
        let response: HTTP1Client.Response
        do {
            response = try await HTTP1Client.request(
                "POST", host: base.host!, port: base.port ?? 80, path: "/reid/reveal",
                headers: [("Content-Type", "application/json"), ("Authorization", authorization)], body: Array(body))
        } catch {
            throw CLIFailure("cannot reach vigil-deid at \(url): \(error)\nIs it running (`make run`)? Or give --url.")
        }
        guard response.status != 200 else {
            print(response.text)
            return
        }
        let detail = (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["detail"]
        var message = "vigil-deid refused (HTTP \(response.status)): \(detail.map { "\($0)" } ?? response.text)"
        let advice = Self.advice[response.status].map { "\n  → \($0)" } ?? ""
        message += advice + "\n"
        FileHandle.standardError.write(Data(message.utf8))
        throw ExitCode(Self.exitCodes[response.status] ?? 1)
    }

    static let advice: [Int: String] = [
        401: "the token or grant is not known to vigil-deid; check VIGIL_REID_TOKEN / --grant",
        403: "the principal needs the reidentify role (VIGIL_DEID_REID_PRINCIPALS), or ask a grant holder for a grant",
        404: "no patient has this pseudonym in the vault; check it was copied whole",
        429: "too many re-identifications by you; wait a minute",
        503: "vigil-deid cannot reach its vault or audit log; try again, and check `vigil doctor`",
    ]

    // sysexits: EX_USAGE, EX_DATAERR, EX_TEMPFAIL, EX_NOPERM.
    static let exitCodes: [Int: Int32] = [400: 64, 404: 65, 429: 75, 503: 75, 401: 77, 403: 77]
}
