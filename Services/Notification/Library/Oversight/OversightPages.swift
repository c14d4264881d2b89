import Foundation
import Hummingbird
import Mustache
import NIOCore

/// The oversight page's templates (`Resources/templates/*.mustache`, HTML-escaped `{{ }}` only) and static
/// files, and the headers every page response carries (design §7).
struct OversightPages: Sendable {
    struct MissingResources: Error, CustomStringConvertible {
        var description: String { "the Notification bundle has no Resources/templates" }
    }

    let library: MustacheLibrary
    let statics: [String: (type: String, bytes: [UInt8])]

    /// `connect-src` is 'self' only, except on the one response that carries a reid grant: deid's origin too.
    static func contentSecurityPolicy(connect origin: String? = nil) -> String {
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; connect-src 'self'" + (origin.map { " \($0)" } ?? "")
    }

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: contentSecurityPolicy(),
        .cacheControl: "no-store",
        HTTPFields.Element.Name("Referrer-Policy")!: "no-referrer",
        HTTPFields.Element.Name("X-Content-Type-Options")!: "nosniff",
    ]

    /// The copied `Resources` folder: Foundation on Linux reports it as the bundle's resource URL, macOS one
    /// level up, so both are tried.
    static var resources: URL? {
        let bundle = Bundle.module
        return [bundle.bundleURL.appendingPathComponent("Resources"), bundle.resourceURL].compactMap { $0 }
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("templates").path) }
    }

    init() throws {
        guard let root = Self.resources else { throw MissingResources() }
        library = try MustacheLibrary(templates: Self.loadTemplates(root.appendingPathComponent("templates")))
        var statics: [String: (type: String, bytes: [UInt8])] = [:]
        let folder = root.appendingPathComponent("static")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                continue
            }
            let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8"
            statics[name] = (type, Array(data))
        }
        self.statics = statics
    }

    /// Every `.mustache` file of `folder`, by name without the extension (the names partials use).
    static func loadTemplates(_ folder: URL) throws -> [String: MustacheTemplate] {
        var templates: [String: MustacheTemplate] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
        }
        return templates
    }

    func render(_ template: String, _ context: [String: Any], status: Int = 200) -> Response {
        var context = context
        context["hasErrors"] = (context["errors"] as? [Any])?.isEmpty == false
        let html = library.render(context, withTemplate: template) ?? "template \(template) missing"
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(
            status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    func file(_ name: String) -> Response {
        guard let file = statics[name] else { return Self.plain(404, "not found") }
        var headers = Self.securityHeaders
        headers[.contentType] = file.type
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    /// Redirect-after-POST and the way to the login form: 303, so the browser follows with a GET.
    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var headers = securityHeaders
        headers[.location] = location
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }

    static func plain(_ status: Int, _ text: String) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(
            status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
