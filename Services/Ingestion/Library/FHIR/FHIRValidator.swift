import Foundation

/// Structural validation of FHIR R4 JSON against `FHIRResources`' tables: resource types, element names
/// (including `value[x]` choices and `_element` primitive extensions), JSON shapes, cardinality, primitive
/// lexical forms, decimal bounds, required bindings and literal reference syntax. Resources of types Vigil
/// does not map are checked only for a known `resourceType` and a valid `id`.
///
/// Paths are FHIRPath with JSON property names for choices (`Observation.valueQuantity.value`).
struct FHIRValidator {
    var log = FHIRIssueLog()

    private static let idElement = FHIRStructure.Spec.one(.primitive(.id)).element(nil)
    private static let primitiveExtension = FHIRStructure("Element", base: .element, [])
    private static let usCorePatient = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"

    /// Validates a resource at `path` (`Observation`, `Bundle.entry[3].resource`).
    mutating func validateResource(_ object: FHIRJSON.Object, path: String) {
        guard let typeValue = object["resourceType"] else {
            log.error(.required, "resourceType is required", at: path + ".resourceType")
            return
        }
        guard let type = typeValue as? String, FHIRResources.allTypes.contains(type) else {
            log.error(.invalid, "resourceType is not an R4 resource type", at: path + ".resourceType")
            return
        }
        guard let structure = FHIRResources.structure(for: type) else {
            if let id = object["id"] { checkPrimitive(id, .id, Self.idElement, path, "id", nil) }
            return
        }
        validateObject(object, structure, path: path, isResource: true)
        if type == "Patient" { checkUSCorePatient(object, path: path) }
    }

    private mutating func validateObject(
        _ object: FHIRJSON.Object, _ structure: FHIRStructure, path: String, isResource: Bool = false
    ) {
        if object.isEmpty {
            log.error(.structure, "element has no content (ele-1)", at: path)
            return
        }
        var choicesSeen: [String] = []
        for (key, value) in object {
            if let element = structure.elements[key] {
                if let group = element.choiceGroup {
                    if choicesSeen.contains(group) {
                        log.error(.structure, "only one \(group)[x] element is allowed", at: path + "." + group)
                    }
                    choicesSeen.append(group)
                }
                validateMember(value, element, in: object, path: path, key: key)
            } else if key == "resourceType" && isResource {
                continue
            } else if key.utf8.first == UInt8(ascii: "_"), let element = structure.elements[String(key.dropFirst())],
                element.primitive != nil
            {
                let base = String(key.dropFirst())
                if let group = element.choiceGroup, object[base] == nil {
                    if choicesSeen.contains(group) {
                        log.error(.structure, "only one \(group)[x] element is allowed", at: path + "." + group)
                    }
                    choicesSeen.append(group)
                }
                validatePrimitiveExtension(value, element, in: object, path: path, base: base)
            } else {
                log.error(
                    .structure, "unknown element '\(FHIRNames.safe(key))' in \(structure.name)",
                    at: path + "." + FHIRNames.safe(key))
            }
        }
        for name in structure.required where object[name] == nil && object["_" + name] == nil {
            log.error(.required, "\(structure.name).\(name) is required (minimum cardinality 1)", at: path + "." + name)
        }
        for group in structure.requiredChoices where !choicesSeen.contains(group) {
            log.error(.required, "\(structure.name).\(group)[x] is required", at: path + "." + group)
        }
    }

    private mutating func validateMember(
        _ value: Any, _ element: FHIRElement, in object: FHIRJSON.Object, path: String, key: String
    ) {
        if element.isArray {
            guard let array = value as? [Any] else {
                // Tolerated (pre-R4 shapes, e.g. a single interpretation): read as a one-item array.
                log.warning(.structure, "\(key) should be a JSON array; read as one item", at: path + "." + key)
                validateItem(value, element, path: path, key: key, index: nil)
                return
            }
            if array.isEmpty { log.error(.structure, "\(key) must not be an empty array", at: path + "." + key) }
            let hasExtensions = object["_" + key] != nil
            for (index, item) in array.enumerated() {
                if FHIRJSON.isNull(item) {
                    if !hasExtensions || element.primitive == nil {
                        log.error(.structure, "null is not allowed here", at: path + "." + key + "[\(index)]")
                    }
                    continue
                }
                validateItem(item, element, path: path, key: key, index: index)
            }
        } else {
            if value is [Any] {
                log.error(.structure, "\(key) must not be an array", at: path + "." + key)
                return
            }
            validateItem(value, element, path: path, key: key, index: nil)
        }
    }

    private mutating func validateItem(_ value: Any, _ element: FHIRElement, path: String, key: String, index: Int?) {
        if FHIRJSON.isNull(value) {
            log.error(.structure, "null is not allowed here", at: Self.render(path, key, index))
            return
        }
        if case .primitive(let primitive) = element.kind {
            checkPrimitive(value, primitive, element, path, key, index)
            return
        }
        guard let object = value as? FHIRJSON.Object else {
            log.error(.structure, "\(key) must be a JSON object", at: Self.render(path, key, index))
            return
        }
        let child = Self.render(path, key, index)
        switch element.kind {
        case .datatype(let datatype):
            if let structure = datatype.structure {
                validateObject(object, structure, path: child)
                if datatype == .reference { checkReference(object, path: child) }
                if datatype == .narrative, object["div"] == nil {
                    // R4 requires div; tolerated because narratives are only mapped when `additional`.
                    log.warning(.required, "Narrative.div is missing", at: child + ".div")
                }
            } else if object.isEmpty {
                log.error(.structure, "element has no content (ele-1)", at: child)
            }
        case .backbone(let structure):
            validateObject(object, structure, path: child)
        case .resource:
            validateResource(object, path: child)
        case .primitive:
            break
        }
    }

    /// `_birthDate: {extension: […]}` or, for arrays, `_given: [null, {…}]`.
    private mutating func validatePrimitiveExtension(
        _ value: Any, _ element: FHIRElement, in object: FHIRJSON.Object, path: String, base: String
    ) {
        let key = "_" + base
        let items: [Any]
        if element.isArray {
            guard let array = value as? [Any] else {
                log.error(.structure, "\(key) must be a JSON array", at: path + "." + base)
                return
            }
            if let values = object[base] as? [Any], values.count != array.count {
                log.error(.structure, "\(key) must have as many items as \(base)", at: path + "." + base)
            }
            items = array
        } else {
            items = [value]
        }
        for (index, item) in items.enumerated() where !(element.isArray && FHIRJSON.isNull(item)) {
            let itemPath = Self.render(path, base, element.isArray ? index : nil)
            guard let extensionObject = item as? FHIRJSON.Object else {
                log.error(.structure, "\(key) must hold JSON objects", at: itemPath)
                continue
            }
            validateObject(extensionObject, Self.primitiveExtension, path: itemPath)
        }
    }

    private mutating func checkPrimitive(
        _ value: Any, _ primitive: FHIRPrimitive, _ element: FHIRElement, _ path: String, _ key: String, _ index: Int?
    ) {
        switch primitive {
        case .boolean:
            if !FHIRJSON.isBoolean(value) {
                log.error(.structure, "\(key) must be a JSON boolean", at: Self.render(path, key, index))
            }
        case .integer, .positiveInt, .unsignedInt:
            guard FHIRJSON.kind(of: value) == .integer, let number = FHIRJSON.nsNumber(value) else {
                log.error(.structure, "\(key) must be a JSON integer", at: Self.render(path, key, index))
                return
            }
            let minimum: Int64 = primitive == .positiveInt ? 1 : primitive == .unsignedInt ? 0 : Int64(Int32.min)
            if number.int64Value < minimum || number.int64Value > Int64(Int32.max) {
                log.error(.value, "\(key) is out of range for \(primitive.name)", at: Self.render(path, key, index))
            }
        case .decimal:
            let kind = FHIRJSON.kind(of: value)
            guard kind == .integer || kind == .decimal else {
                log.error(.structure, "\(key) must be a JSON number", at: Self.render(path, key, index))
                return
            }
            if !FHIRJSON.decimalWithinBounds(value) {
                log.error(
                    .value, "\(key) exceeds the FHIR decimal bounds (18 significant digits, 18 integer digits)",
                    at: Self.render(path, key, index))
            }
        default:
            guard let text = value as? String else {
                log.error(.structure, "\(key) must be a JSON string", at: Self.render(path, key, index))
                return
            }
            if text.isEmpty && !element.isRequired && element.binding == nil {
                // Tolerated: an empty string carries nothing; the mapping reads it as absent.
                log.warning(.value, "\(key) is an empty string; read as absent", at: Self.render(path, key, index))
                return
            }
            guard primitive.accepts(text) else {
                if (primitive == .dateTime || primitive == .instant) && FHIRLexical.isZonelessDateTime(text) {
                    // Tolerated, but never guessed: a time without a zone is not used as an event time.
                    log.warning(
                        .value, "\(key) has a time without a time zone; not used as a time",
                        at: Self.render(path, key, index))
                    return
                }
                log.error(.value, "\(key) is not a valid FHIR \(primitive.name)", at: Self.render(path, key, index))
                return
            }
            if let binding = element.binding, !binding.codes.contains(text) {
                log.error(
                    .codeInvalid, "\(key) is not a code of the required value set \(binding.name) (allowed: \(binding.listed))",
                    at: Self.render(path, key, index))
            }
        }
    }

    /// Literal references: `#id`, `urn:uuid:`, `urn:oid:`, absolute URLs, `Type/id[/_history/v]`, `Type?criteria`.
    private mutating func checkReference(_ object: FHIRJSON.Object, path: String) {
        guard let text = object["reference"] as? String, !text.isEmpty else { return }
        switch FHIRReference(text) {
        case .invalid:
            log.error(
                .invalid,
                "reference is not a valid literal reference (Type/id, Type?criteria, urn:uuid:, urn:oid:, #id or an absolute URL)",
                at: path + ".reference")
        case .unknownType:
            log.error(.invalid, "reference names a resource type that R4 does not define", at: path + ".reference")
        default:
            break
        }
    }

    /// US Core Patient (3.1.1): identifier (with system and value), name and gender are required. Applied when
    /// the resource claims the profile in `meta.profile`; Vigil does not impose US Core on other patients.
    private mutating func checkUSCorePatient(_ patient: FHIRJSON.Object, path: String) {
        let profiles = FHIRJSON.array(FHIRJSON.object(patient["meta"])?["profile"]).compactMap { $0 as? String }
        guard profiles.contains(where: { $0 == Self.usCorePatient || $0.hasPrefix(Self.usCorePatient + "|") }) else {
            return
        }
        let identifiers = FHIRJSON.objects(patient["identifier"])
        if identifiers.isEmpty {
            log.error(.required, "US Core Patient requires Patient.identifier", at: path + ".identifier")
        }
        for (index, identifier) in identifiers.enumerated() {
            for key in ["system", "value"] where FHIRJSON.string(identifier[key]) == nil {
                log.error(
                    .required, "US Core Patient requires Patient.identifier.\(key)",
                    at: path + ".identifier[\(index)].\(key)")
            }
        }
        if FHIRJSON.objects(patient["name"]).isEmpty {
            log.error(.required, "US Core Patient requires Patient.name", at: path + ".name")
        }
        if patient["gender"] == nil {
            log.error(.required, "US Core Patient requires Patient.gender", at: path + ".gender")
        }
    }

    static func render(_ path: String, _ key: String, _ index: Int?) -> String {
        if let index { return path + "." + key + "[\(index)]" }
        return path + "." + key
    }
}
