import Foundation
import Notification
import Testing

/// The oversight templates escape everything they print, and the role table is design §6.
struct OversightTemplateTests {
    static let templates = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Services/Notification/Library/Resources/templates")

    static func all() throws -> [(String, String)] {
        try FileManager.default.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }
            .sorted()
            .map { ($0, try String(contentsOf: templates.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func templatesNeverPrintUnescaped() throws {
        let templates = try Self.all()
        #expect(templates.count >= 6)
        for (name, text) in templates {
            #expect(!text.contains("{{{"), "\(name) uses {{{ (unescaped)")
            #expect(!text.contains("{{&"), "\(name) uses {{& (unescaped)")
            #expect(!text.contains("style=\""), "\(name) has an inline style, which the CSP blocks")
            #expect(text.components(separatedBy: "<h1").count <= 2, "\(name) has more than one h1")
        }
    }

    @Test func roleTableIsDesignSection6() {
        func principal(_ roles: Set<NotifyPrincipals.Role>) -> NotifyPrincipals.Principal {
            .init(id: "p", tokenSHA256: "", roles: roles, units: ["ICU*"])
        }
        let expected: [Authorizer.Route: [NotifyPrincipals.Role: Authorizer.Grant]] = [
            .readAlerts: [.clinician: .ownUnits, .auditor: .all, .admin: .all, .integration: .all],
            .actOnAlerts: [.clinician: .ownUnits, .auditor: .denied, .admin: .denied, .integration: .denied],
            .readModels: [.clinician: .all, .auditor: .all, .admin: .all, .integration: .denied],
            .changeModels: [.clinician: .denied, .auditor: .denied, .admin: .all, .integration: .denied],
            .readFatigue: [.clinician: .all, .auditor: .all, .admin: .all, .integration: .denied],
        ]
        for (route, grants) in expected {
            for (role, grant) in grants {
                #expect(Authorizer.grant(principal([role]), route) == grant, "\(role) \(route)")
            }
        }
        #expect(Authorizer.grant(principal([.clinician, .auditor]), .readAlerts) == .all, "the widest grant wins")
        #expect(Authorizer.allows(principal([.clinician]), .actOnAlerts, unit: "ICU3"))
        #expect(!Authorizer.allows(principal([.clinician]), .actOnAlerts, unit: "WARD1"))
        #expect(!Authorizer.allows(principal([.clinician]), .actOnAlerts, unit: nil), "no unit needs *")
    }

    @Test func principalsLoadInlineAndMatchTokensByDigest() throws {
        let principals = try NotifyPrincipals.load(
            #"[{"id": "a", "tokenSHA256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", "roles": ["auditor"]}]"#
        )
        #expect(principals.principal(token: "foo")?.id == "a")
        #expect(principals.principal(token: "fop") == nil)
        #expect(principals.principals.first?.units == [])
        #expect(throws: NotifyPrincipals.LoadError.self) {
            try NotifyPrincipals.load(#"[{"id": "a", "tokenSHA256": "x", "roles": ["root"]}]"#)
        }
    }
}
