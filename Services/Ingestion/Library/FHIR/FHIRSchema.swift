/// The slice of the FHIR R4 structure definitions the intake validates against: every element name of the
/// resources Vigil maps (Patient, Observation, Encounter, DocumentReference, Bundle), their backbone
/// elements, and the datatypes those use — with cardinality, JSON shape and required bindings.
///
/// Datatypes that no mapped element reads (Timing, Signature, Dosage, …) are `opaque`: they must be JSON
/// objects, but their inside is not checked.
struct FHIRElement: Sendable {
    enum Kind: Sendable {
        case primitive(FHIRPrimitive)
        case datatype(FHIRDatatype)
        case backbone(FHIRStructure)
        /// A whole resource (`contained`, `Bundle.entry.resource`).
        case resource
    }

    let kind: Kind
    let isArray: Bool
    let isRequired: Bool
    /// Allowed codes of a required binding.
    let binding: FHIRBinding?
    /// `value` for `valueQuantity`, `valueString`, … (at most one member of a choice may appear).
    let choiceGroup: String?

    var primitive: FHIRPrimitive? {
        if case .primitive(let primitive) = kind { return primitive }
        return nil
    }
}

struct FHIRBinding: Sendable {
    let name: String
    let codes: Set<String>
    /// For diagnostics, in the specification's order.
    let listed: String

    init(_ name: String, _ codes: [String]) {
        self.name = name
        self.codes = Set(codes)
        self.listed = codes.joined(separator: ", ")
    }
}

struct FHIRStructure: Sendable {
    enum Base: Sendable {
        /// `Resource`: id, meta, implicitRules, language.
        case resource
        /// `DomainResource`: a resource with text, contained, extension, modifierExtension.
        case domainResource
        /// `Element`: id, extension.
        case element
        /// `BackboneElement`: id, extension, modifierExtension.
        case backbone
    }

    let name: String
    let elements: [String: FHIRElement]
    let required: [String]
    let requiredChoices: [String]

    /// `members` are `(name, element)`; a name ending in `[x]` paired with `choice(...)` expands to one
    /// element per type (`value[x]` → `valueQuantity`, `valueString`, …).
    init(_ name: String, base: Base, _ members: [(String, Spec)]) {
        var elements: [String: FHIRElement] = [:]
        var required: [String] = []
        var requiredChoices: [String] = []
        func add(_ key: String, _ element: FHIRElement) { elements[key] = element }
        switch base {
        case .resource, .domainResource:
            add("id", Spec.one(.primitive(.id)).element(nil))
            add("meta", Spec.one(.datatype(.meta)).element(nil))
            add("implicitRules", Spec.one(.primitive(.uri)).element(nil))
            add("language", Spec.one(.primitive(.code)).element(nil))
            if case .domainResource = base {
                add("text", Spec.one(.datatype(.narrative)).element(nil))
                add("contained", Spec.many(.resource).element(nil))
                add("extension", Spec.many(.datatype(.extension_)).element(nil))
                add("modifierExtension", Spec.many(.datatype(.extension_)).element(nil))
            }
        case .element, .backbone:
            add("id", Spec.one(.primitive(.string)).element(nil))
            add("extension", Spec.many(.datatype(.extension_)).element(nil))
            if case .backbone = base { add("modifierExtension", Spec.many(.datatype(.extension_)).element(nil)) }
        }
        for (memberName, spec) in members {
            if memberName.hasSuffix("[x]") {
                let group = String(memberName.dropLast(3))
                for (suffix, kind) in spec.choices {
                    add(group + suffix, Spec(kind: kind, isArray: false, isRequired: false, binding: nil).element(group))
                }
                if spec.isRequired { requiredChoices.append(group) }
            } else {
                add(memberName, spec.element(nil))
                if spec.isRequired { required.append(memberName) }
            }
        }
        self.name = name
        self.elements = elements
        self.required = required
        self.requiredChoices = requiredChoices
    }

    /// How a member is declared in the tables.
    struct Spec: Sendable {
        var kind: FHIRElement.Kind
        var isArray: Bool
        var isRequired: Bool
        var binding: FHIRBinding?
        var choices: [(String, FHIRElement.Kind)] = []

        static func one(_ kind: FHIRElement.Kind, required: Bool = false, binding: FHIRBinding? = nil) -> Spec {
            Spec(kind: kind, isArray: false, isRequired: required, binding: binding)
        }

        static func many(_ kind: FHIRElement.Kind, required: Bool = false) -> Spec {
            Spec(kind: kind, isArray: true, isRequired: required, binding: nil)
        }

        static func code(_ binding: FHIRBinding, required: Bool = false) -> Spec {
            Spec(kind: .primitive(.code), isArray: false, isRequired: required, binding: binding)
        }

        static func choice(_ choices: [(String, FHIRElement.Kind)], required: Bool = false) -> Spec {
            Spec(kind: .resource, isArray: false, isRequired: required, binding: nil, choices: choices)
        }

        func element(_ group: String?) -> FHIRElement {
            FHIRElement(kind: kind, isArray: isArray, isRequired: isRequired, binding: binding, choiceGroup: group)
        }
    }
}

/// Shorthands for the tables.
extension FHIRElement.Kind {
    static let string = FHIRElement.Kind.primitive(.string)
    static let uri = FHIRElement.Kind.primitive(.uri)
    static let code = FHIRElement.Kind.primitive(.code)
    static let boolean = FHIRElement.Kind.primitive(.boolean)
    static let dateTime = FHIRElement.Kind.primitive(.dateTime)
    static let instant = FHIRElement.Kind.primitive(.instant)
    static let decimal = FHIRElement.Kind.primitive(.decimal)
    static let positiveInt = FHIRElement.Kind.primitive(.positiveInt)
    static let unsignedInt = FHIRElement.Kind.primitive(.unsignedInt)
    static let reference = FHIRElement.Kind.datatype(.reference)
    static let concept = FHIRElement.Kind.datatype(.codeableConcept)
    static let coding = FHIRElement.Kind.datatype(.coding)
    static let identifier = FHIRElement.Kind.datatype(.identifier)
    static let period = FHIRElement.Kind.datatype(.period)
    static let quantity = FHIRElement.Kind.datatype(.quantity)
    static let range = FHIRElement.Kind.datatype(.range)
}
