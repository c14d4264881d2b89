import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body as name → value (the first of repeated names), at most 16 KiB.
enum FormBody {
    static func read(_ request: Request) async -> [String: String]? {
        guard let buffer = try? await request.body.collect(upTo: 16 * 1024) else { return nil }
        return parse(String(buffer: buffer))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), fields[name] == nil else { continue }
            fields[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
