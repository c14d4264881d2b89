import Foundation

/// The one JSON configuration for values on Vigil topics: sorted keys and unescaped slashes, so equal
/// values encode to identical bytes (hashes, dedupe and golden files rely on this).
///
/// Both directions throw only `ModelCoreError`: Foundation's `DecodingError` descriptions can quote
/// offending values, so they are translated to a field path and a fixed reason.
public enum VigilJSON {
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        do {
            return try FastJSONEncoder.encode(value)
        } catch let error as ModelCoreError {
            throw error
        } catch let EncodingError.invalidValue(_, context) {
            throw ModelCoreError(.invalidPayload, field: context.codingPath.dottedPath, reason: "value not encodable")
        } catch {
            throw ModelCoreError(.invalidPayload, reason: "value not encodable")
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some DataProtocol) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as ModelCoreError {
            throw error
        } catch let error as DecodingError {
            throw translate(error)
        } catch {
            throw ModelCoreError(.invalidPayload, reason: "undecodable JSON")
        }
    }

    static func translate(_ error: DecodingError) -> ModelCoreError {
        switch error {
        case .keyNotFound(let key, let context):
            return ModelCoreError(
                .invalidPayload, field: (context.codingPath + [key]).dottedPath, reason: "required field missing")
        case .valueNotFound(_, let context):
            return ModelCoreError(
                .invalidPayload, field: context.codingPath.dottedPath, reason: "required value is null")
        case .typeMismatch(_, let context):
            return ModelCoreError(.invalidPayload, field: context.codingPath.dottedPath, reason: "wrong JSON type")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return ModelCoreError(.invalidPayload, reason: "malformed JSON")
        case .dataCorrupted(let context):
            return ModelCoreError(.invalidPayload, field: context.codingPath.dottedPath, reason: "invalid value")
        @unknown default:
            return ModelCoreError(.invalidPayload, reason: "undecodable JSON")
        }
    }
}
