/// R4 complex datatypes. Those with a table are validated element by element; the rest are `opaque`.
enum FHIRDatatype: String, Sendable {
    case extension_ = "Extension"
    case meta = "Meta"
    case narrative = "Narrative"
    case identifier = "Identifier"
    case humanName = "HumanName"
    case contactPoint = "ContactPoint"
    case address = "Address"
    case period = "Period"
    case coding = "Coding"
    case codeableConcept = "CodeableConcept"
    case quantity = "Quantity"
    case range = "Range"
    case ratio = "Ratio"
    case reference = "Reference"
    case attachment = "Attachment"
    case annotation = "Annotation"
    case sampledData = "SampledData"
    case money = "Money"
    /// Validated only as a JSON object (Timing, Signature, Dosage, ContactDetail, Expression, …).
    case opaque = "Element"

    var structure: FHIRStructure? {
        switch self {
        case .extension_: Self.extensionStructure
        case .meta: Self.metaStructure
        case .narrative: Self.narrativeStructure
        case .identifier: Self.identifierStructure
        case .humanName: Self.humanNameStructure
        case .contactPoint: Self.contactPointStructure
        case .address: Self.addressStructure
        case .period: Self.periodStructure
        case .coding: Self.codingStructure
        case .codeableConcept: Self.codeableConceptStructure
        case .quantity: Self.quantityStructure
        case .range: Self.rangeStructure
        case .ratio: Self.ratioStructure
        case .reference: Self.referenceStructure
        case .attachment: Self.attachmentStructure
        case .annotation: Self.annotationStructure
        case .sampledData: Self.sampledDataStructure
        case .money: Self.moneyStructure
        case .opaque: nil
        }
    }

    typealias S = FHIRStructure.Spec

    /// The R4 open type list, as `value[x]` suffixes of `Extension`.
    static let openTypes: [(String, FHIRElement.Kind)] = {
        let primitives: [(String, FHIRPrimitive)] = [
            ("Base64Binary", .base64Binary), ("Boolean", .boolean), ("Canonical", .canonical), ("Code", .code),
            ("Date", .date), ("DateTime", .dateTime), ("Decimal", .decimal), ("Id", .id), ("Instant", .instant),
            ("Integer", .integer), ("Markdown", .markdown), ("Oid", .oid), ("PositiveInt", .positiveInt),
            ("String", .string), ("Time", .time), ("UnsignedInt", .unsignedInt), ("Uri", .uri), ("Url", .url),
            ("Uuid", .uuid),
        ]
        let complex: [(String, FHIRDatatype)] = [
            ("Address", .address), ("Age", .quantity), ("Annotation", .annotation), ("Attachment", .attachment),
            ("CodeableConcept", .codeableConcept), ("Coding", .coding), ("ContactPoint", .contactPoint),
            ("Count", .quantity), ("Distance", .quantity), ("Duration", .quantity), ("HumanName", .humanName),
            ("Identifier", .identifier), ("Money", .money), ("Period", .period), ("Quantity", .quantity),
            ("Range", .range), ("Ratio", .ratio), ("Reference", .reference), ("SampledData", .sampledData),
            ("Meta", .meta), ("Signature", .opaque), ("Timing", .opaque), ("ContactDetail", .opaque),
            ("Contributor", .opaque), ("DataRequirement", .opaque), ("Expression", .opaque),
            ("ParameterDefinition", .opaque), ("RelatedArtifact", .opaque), ("TriggerDefinition", .opaque),
            ("UsageContext", .opaque), ("Dosage", .opaque),
        ]
        return primitives.map { ($0.0, FHIRElement.Kind.primitive($0.1)) }
            + complex.map { ($0.0, FHIRElement.Kind.datatype($0.1)) }
    }()

    static let extensionStructure = FHIRStructure(
        "Extension", base: .element,
        [("url", S.one(.uri, required: true)), ("value[x]", S.choice(openTypes))])

    static let metaStructure = FHIRStructure(
        "Meta", base: .element,
        [
            ("versionId", S.one(.primitive(.id))), ("lastUpdated", S.one(.instant)), ("source", S.one(.uri)),
            ("profile", S.many(.primitive(.canonical))), ("security", S.many(.coding)), ("tag", S.many(.coding)),
        ])

    static let narrativeStructure = FHIRStructure(
        "Narrative", base: .element,
        [
            ("status", S.code(FHIRBinding("NarrativeStatus", ["generated", "extensions", "additional", "empty"]), required: true)),
            ("div", S.one(.primitive(.xhtml))),  // required in R4; a missing div is a warning (see the validator)
        ])

    static let identifierStructure = FHIRStructure(
        "Identifier", base: .element,
        [
            ("use", S.code(FHIRBinding("IdentifierUse", ["usual", "official", "temp", "secondary", "old"]))),
            ("type", S.one(.concept)), ("system", S.one(.uri)), ("value", S.one(.string)),
            ("period", S.one(.period)), ("assigner", S.one(.reference)),
        ])

    static let humanNameStructure = FHIRStructure(
        "HumanName", base: .element,
        [
            ("use", S.code(FHIRBinding("NameUse", ["usual", "official", "temp", "nickname", "anonymous", "old", "maiden"]))),
            ("text", S.one(.string)), ("family", S.one(.string)), ("given", S.many(.string)),
            ("prefix", S.many(.string)), ("suffix", S.many(.string)), ("period", S.one(.period)),
        ])

    static let contactPointStructure = FHIRStructure(
        "ContactPoint", base: .element,
        [
            ("system", S.code(FHIRBinding("ContactPointSystem", ["phone", "fax", "email", "pager", "url", "sms", "other"]))),
            ("value", S.one(.string)),
            ("use", S.code(FHIRBinding("ContactPointUse", ["home", "work", "temp", "old", "mobile"]))),
            ("rank", S.one(.positiveInt)), ("period", S.one(.period)),
        ])

    static let addressStructure = FHIRStructure(
        "Address", base: .element,
        [
            ("use", S.code(FHIRBinding("AddressUse", ["home", "work", "temp", "old", "billing"]))),
            ("type", S.code(FHIRBinding("AddressType", ["postal", "physical", "both"]))),
            ("text", S.one(.string)), ("line", S.many(.string)), ("city", S.one(.string)),
            ("district", S.one(.string)), ("state", S.one(.string)), ("postalCode", S.one(.string)),
            ("country", S.one(.string)), ("period", S.one(.period)),
        ])

    static let periodStructure = FHIRStructure(
        "Period", base: .element, [("start", S.one(.dateTime)), ("end", S.one(.dateTime))])

    static let codingStructure = FHIRStructure(
        "Coding", base: .element,
        [
            ("system", S.one(.uri)), ("version", S.one(.string)), ("code", S.one(.code)),
            ("display", S.one(.string)), ("userSelected", S.one(.boolean)),
        ])

    static let codeableConceptStructure = FHIRStructure(
        "CodeableConcept", base: .element, [("coding", S.many(.coding)), ("text", S.one(.string))])

    static let quantityStructure = FHIRStructure(
        "Quantity", base: .element,
        [
            ("value", S.one(.decimal)),
            ("comparator", S.code(FHIRBinding("QuantityComparator", ["<", "<=", ">=", ">"]))),
            ("unit", S.one(.string)), ("system", S.one(.uri)), ("code", S.one(.code)),
        ])

    static let rangeStructure = FHIRStructure(
        "Range", base: .element, [("low", S.one(.quantity)), ("high", S.one(.quantity))])

    static let ratioStructure = FHIRStructure(
        "Ratio", base: .element, [("numerator", S.one(.quantity)), ("denominator", S.one(.quantity))])

    static let referenceStructure = FHIRStructure(
        "Reference", base: .element,
        [
            ("reference", S.one(.string)), ("type", S.one(.uri)), ("identifier", S.one(.identifier)),
            ("display", S.one(.string)),
        ])

    static let attachmentStructure = FHIRStructure(
        "Attachment", base: .element,
        [
            ("contentType", S.one(.code)), ("language", S.one(.code)), ("data", S.one(.primitive(.base64Binary))),
            ("url", S.one(.primitive(.url))), ("size", S.one(.unsignedInt)),
            ("hash", S.one(.primitive(.base64Binary))), ("title", S.one(.string)), ("creation", S.one(.dateTime)),
        ])

    static let annotationStructure = FHIRStructure(
        "Annotation", base: .element,
        [
            ("author[x]", S.choice([("Reference", .reference), ("String", .string)])), ("time", S.one(.dateTime)),
            ("text", S.one(.primitive(.markdown), required: true)),
        ])

    static let sampledDataStructure = FHIRStructure(
        "SampledData", base: .element,
        [
            ("origin", S.one(.quantity, required: true)), ("period", S.one(.decimal, required: true)),
            ("factor", S.one(.decimal)), ("lowerLimit", S.one(.decimal)), ("upperLimit", S.one(.decimal)),
            ("dimensions", S.one(.positiveInt, required: true)), ("data", S.one(.string)),
        ])

    static let moneyStructure = FHIRStructure(
        "Money", base: .element, [("value", S.one(.decimal)), ("currency", S.one(.code))])
}
