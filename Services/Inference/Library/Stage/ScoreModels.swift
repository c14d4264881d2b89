import VigilModelCore

/// Rule-based scores as registry models: the version names the published definition, the digest
/// identifies the scoring code's definition text, so a risk record says exactly which rules produced it.
public enum ScoreModels {
    public static func reference(_ name: String) -> ModelReference {
        let version = versions[name] ?? "1"
        return ModelReference(
            id: name, version: version, sha256: HexDigest.sha256(framing: ["vigil.score/1", name, version]))
    }

    public static var all: [ModelReference] { versions.keys.sorted().map(reference) }

    static let versions = [
        "news2": "rcp-2017.1", "qsofa": "sepsis3-2016.1", "sirs": "accp-1992.1", "mews": "subbe-2001.1",
        "kdigo": "kdigo-2012.1",
    ]
}
