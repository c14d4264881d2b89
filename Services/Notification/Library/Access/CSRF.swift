import Hummingbird

/// Two independent layers against cross-site form posts, besides `SameSite=Strict`: the session's token in
/// every form (`_csrf`, constant-time compare), and the browser's own statement of where a POST came from.
enum CSRF {
    static let secFetchSite = HTTPFields.Element.Name("Sec-Fetch-Site")!

    static func tokenMatches(_ session: SessionStore.Session, _ submitted: String?) -> Bool {
        guard let submitted else { return false }
        return ConstantTime.equal(Array(session.csrfHex.utf8), Array(submitted.utf8))
    }

    /// `Origin` must name this host. Under `Referrer-Policy: no-referrer` browsers send `Origin: null` on form
    /// posts, so then (and without `Origin`) `Sec-Fetch-Site` decides. A request with neither header (curl)
    /// passes this layer and still needs the token; `null` with no `Sec-Fetch-Site` is refused.
    static func sameOrigin(_ request: Request) -> Bool {
        let origin = request.headers[.origin]
        if let origin, origin != "null" {
            guard let host = request.head.authority, let separator = origin.range(of: "://") else { return false }
            return origin[separator.upperBound...].lowercased() == host.lowercased()
        }
        if let site = request.headers[secFetchSite] {
            return site == "same-origin" || site == "none"
        }
        return origin == nil
    }
}
