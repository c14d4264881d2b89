import Foundation

/// The word lists the scrubber looks tokens up in, all folded to lower case. Loaded once per process from the
/// vendored resources (sources and licences in `Resources/NOTICE`).
public struct Lexicon: Sendable {
    /// US Census 1990 first names.
    var firstNames: Set<String>
    /// US Census 1990 surnames.
    var surnames: Set<String>
    /// Lower-case entries of SCOWL's American English list: ordinary words, not identifiers.
    var english: Set<String>
    /// GeoNames cities ≥ 5,000 inhabitants, countries, capitals, US states and counties.
    var places: Set<String>
    /// First words of the multi-word places, so phrases are only built where one can start.
    var placeHeads: Set<String>

    /// The bundled lists; the first use reads about 2 MB.
    public static let shared: Lexicon = {
        do {
            return try Lexicon(directory: resourceDirectory())
        } catch {
            // The lists ship inside the package: their absence is a build error, not a run-time condition.
            fatalError("DeidScrubber resources missing: \(error)")
        }
    }()

    /// Whether a word is an ordinary lower-case English word ("white", "rose"): such a name counts as a
    /// name only when capitalised.
    public func isOrdinaryWord(_ word: String) -> Bool { english.contains(word.lowercased()) }

    public init(directory: URL) throws {
        func read(_ name: String) throws -> [Substring] {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            return text.split(separator: "\n")
        }
        firstNames = Set(try read("first-names.txt").map(String.init))
        surnames = Set(try read("surnames.txt").map(String.init))
        english = Set(try read("english-lower.txt").map(String.init))
        var places = Set<String>()
        var heads = Set<String>()
        for line in try read("places.txt") {
            places.insert(String(line))
            if let space = line.firstIndex(where: { $0 == " " || $0 == "-" }) { heads.insert(String(line[..<space])) }
        }
        self.places = places
        placeHeads = heads
    }

    static func resourceDirectory() -> URL {
        #if SWIFT_PACKAGE
            // `.copy("Resources")` keeps the folder; Foundation may already report it as the resource URL.
            let bundle = Bundle.module
            let candidates = [
                bundle.bundleURL.appendingPathComponent("Resources"), bundle.resourceURL, bundle.bundleURL,
            ]
            return candidates.compactMap { $0 }.first {
                FileManager.default.fileExists(atPath: $0.appendingPathComponent("first-names.txt").path)
            } ?? bundle.bundleURL
        #else
            // Built outside SwiftPM (quick experiments): point DEID_DICTS at the Resources folder.
            return URL(fileURLWithPath: ProcessInfo.processInfo.environment["DEID_DICTS"] ?? "Resources")
        #endif
    }
}
