import Foundation
#if canImport(Glibc)
import Glibc
#endif
import VigilModelCore

/// A trained sepsis predictor as `make train` writes it: `model.json` (LightGBM trees), `metadata.json`
/// (id, version, sha256 of `model.json`, feature schema, decision threshold chosen by cross-validation)
/// and `card.md`. Loading checks the digest and that the model reads exactly this code's features.
public struct SepsisModel: Sendable {
    public struct Metadata: Codable, Sendable {
        public var id: String
        public var version: String
        public var sha256: String
        public var featureSchema: String
        public var threshold: Double
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public let ensemble: TreeEnsemble
    public let metadata: Metadata
    public let card: String
    public var reference: ModelReference {
        ModelReference(id: metadata.id, version: metadata.version, sha256: HexDigest(metadata.sha256)!)
    }

    public init(directory: URL) throws {
        let modelData = try Data(contentsOf: directory.appendingPathComponent("model.json"))
        metadata = try JSONDecoder().decode(
            Metadata.self, from: Data(contentsOf: directory.appendingPathComponent("metadata.json")))
        card = String(decoding: try Data(contentsOf: directory.appendingPathComponent("card.md")), as: UTF8.self)
        let digest = HexDigest.sha256(of: modelData).hex
        guard digest == metadata.sha256 else {
            throw LoadError(description: "\(directory.path)/model.json has sha256 \(digest), metadata.json says \(metadata.sha256)")
        }
        guard metadata.featureSchema == SepsisFeatureBuilder.schema else {
            throw LoadError(description: "model reads \(metadata.featureSchema), this code computes \(SepsisFeatureBuilder.schema)")
        }
        ensemble = try TreeEnsemble(lightGBMJSON: modelData)
        guard ensemble.featureNames == SepsisFeatureBuilder.names else {
            throw LoadError(description: "model feature names differ from \(SepsisFeatureBuilder.schema)")
        }
    }

    /// The model shipped with the service (`Resources/sepsis-lgbm`).
    public static func bundled() throws -> SepsisModel {
        guard let url = Bundle.module.url(forResource: "sepsis-lgbm", withExtension: nil, subdirectory: "Resources") else {
            throw LoadError(description: "the bundled sepsis model is missing (run make train)")
        }
        let model = try SepsisModel(directory: url)
        // Parsing the 1.9 MB model.json leaves tens of MB of freed Foundation objects that glibc keeps mapped;
        // hand them back so the service's resident size is its working set.
        #if canImport(Glibc)
        // malloc_trim is in <malloc.h>, which the Glibc module does not include.
        if let trim = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(trim, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        #endif
        return model
    }

    public func probability(_ features: [Double]) -> Double { ensemble.probability(features) }

    /// The features that pushed this prediction most (either way), largest first.
    public func topFactors(_ features: [Double], count: Int = 5) -> [(name: String, contribution: Double, value: Double)] {
        let contributions = ensemble.contributions(features)
        return contributions.indices.sorted { abs(contributions[$0]) > abs(contributions[$1]) }.prefix(count).map {
            (SepsisFeatureBuilder.names[$0], contributions[$0], features[$0])
        }
    }
}
