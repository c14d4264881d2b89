/// R4 element tables of the resources Vigil maps, and the names of all R4 resource types.
enum FHIRResources {
    typealias S = FHIRStructure.Spec

    /// Resource types accepted at the top level of a request.
    static let ingestible: Set<String> = ["Bundle", "Observation", "Patient", "Encounter", "DocumentReference"]

    /// The structure to validate a resource of this type against, if Vigil maps the type.
    static func structure(for resourceType: String) -> FHIRStructure? {
        switch resourceType {
        case "Patient": patient
        case "Observation": observation
        case "Encounter": encounter
        case "DocumentReference": documentReference
        case "Bundle": bundle
        default: nil
        }
    }

    static let patient = FHIRStructure(
        "Patient", base: .domainResource,
        [
            ("identifier", S.many(.identifier)), ("active", S.one(.boolean)),
            ("name", S.many(.datatype(.humanName))), ("telecom", S.many(.datatype(.contactPoint))),
            ("gender", S.code(administrativeGender)), ("birthDate", S.one(.primitive(.date))),
            ("deceased[x]", S.choice([("Boolean", .boolean), ("DateTime", .dateTime)])),
            ("address", S.many(.datatype(.address))), ("maritalStatus", S.one(.concept)),
            ("multipleBirth[x]", S.choice([("Boolean", .boolean), ("Integer", .primitive(.integer))])),
            ("photo", S.many(.datatype(.attachment))),
            (
                "contact",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Patient.contact", base: .backbone,
                            [
                                ("relationship", S.many(.concept)), ("name", S.one(.datatype(.humanName))),
                                ("telecom", S.many(.datatype(.contactPoint))), ("address", S.one(.datatype(.address))),
                                ("gender", S.code(administrativeGender)), ("organization", S.one(.reference)),
                                ("period", S.one(.period)),
                            ])))
            ),
            (
                "communication",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Patient.communication", base: .backbone,
                            [("language", S.one(.concept, required: true)), ("preferred", S.one(.boolean))])))
            ),
            ("generalPractitioner", S.many(.reference)), ("managingOrganization", S.one(.reference)),
            (
                "link",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Patient.link", base: .backbone,
                            [
                                ("other", S.one(.reference, required: true)),
                                ("type", S.code(FHIRBinding("LinkType", ["replaced-by", "replaces", "refer", "seealso"]), required: true)),
                            ])))
            ),
        ])

    static let administrativeGender = FHIRBinding("AdministrativeGender", ["male", "female", "other", "unknown"])

    static let observationStatus = FHIRBinding(
        "ObservationStatus",
        ["registered", "preliminary", "final", "amended", "corrected", "cancelled", "entered-in-error", "unknown"])

    /// `value[x]` of Observation and Observation.component.
    static let observationValues: [(String, FHIRElement.Kind)] = [
        ("Quantity", .quantity), ("CodeableConcept", .concept), ("String", .string), ("Boolean", .boolean),
        ("Integer", .primitive(.integer)), ("Range", .range), ("Ratio", .datatype(.ratio)),
        ("SampledData", .datatype(.sampledData)), ("Time", .primitive(.time)), ("DateTime", .dateTime),
        ("Period", .period),
    ]

    static let referenceRange = FHIRStructure(
        "Observation.referenceRange", base: .backbone,
        [
            ("low", S.one(.quantity)), ("high", S.one(.quantity)), ("type", S.one(.concept)),
            ("appliesTo", S.many(.concept)), ("age", S.one(.range)), ("text", S.one(.string)),
        ])

    static let observation = FHIRStructure(
        "Observation", base: .domainResource,
        [
            ("identifier", S.many(.identifier)), ("basedOn", S.many(.reference)), ("partOf", S.many(.reference)),
            ("status", S.code(observationStatus, required: true)), ("category", S.many(.concept)),
            ("code", S.one(.concept, required: true)), ("subject", S.one(.reference)), ("focus", S.many(.reference)),
            ("encounter", S.one(.reference)),
            (
                "effective[x]",
                S.choice([
                    ("DateTime", .dateTime), ("Period", .period), ("Timing", .datatype(.opaque)), ("Instant", .instant),
                ])
            ),
            ("issued", S.one(.instant)), ("performer", S.many(.reference)), ("value[x]", S.choice(observationValues)),
            ("dataAbsentReason", S.one(.concept)), ("interpretation", S.many(.concept)),
            ("note", S.many(.datatype(.annotation))), ("bodySite", S.one(.concept)), ("method", S.one(.concept)),
            ("specimen", S.one(.reference)), ("device", S.one(.reference)),
            ("referenceRange", S.many(.backbone(referenceRange))), ("hasMember", S.many(.reference)),
            ("derivedFrom", S.many(.reference)),
            (
                "component",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Observation.component", base: .backbone,
                            [
                                ("code", S.one(.concept, required: true)), ("value[x]", S.choice(observationValues)),
                                ("dataAbsentReason", S.one(.concept)), ("interpretation", S.many(.concept)),
                                ("referenceRange", S.many(.backbone(referenceRange))),
                            ])))
            ),
        ])

    static let encounterStatus = FHIRBinding(
        "EncounterStatus",
        ["planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled", "entered-in-error", "unknown"])

    static let encounter = FHIRStructure(
        "Encounter", base: .domainResource,
        [
            ("identifier", S.many(.identifier)), ("status", S.code(encounterStatus, required: true)),
            (
                "statusHistory",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Encounter.statusHistory", base: .backbone,
                            [("status", S.code(encounterStatus, required: true)), ("period", S.one(.period, required: true))])))
            ),
            ("class", S.one(.coding, required: true)),
            (
                "classHistory",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Encounter.classHistory", base: .backbone,
                            [("class", S.one(.coding, required: true)), ("period", S.one(.period, required: true))])))
            ),
            ("type", S.many(.concept)), ("serviceType", S.one(.concept)), ("priority", S.one(.concept)),
            ("subject", S.one(.reference)), ("episodeOfCare", S.many(.reference)), ("basedOn", S.many(.reference)),
            (
                "participant",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Encounter.participant", base: .backbone,
                            [("type", S.many(.concept)), ("period", S.one(.period)), ("individual", S.one(.reference))])))
            ),
            ("appointment", S.many(.reference)), ("period", S.one(.period)), ("length", S.one(.quantity)),
            ("reasonCode", S.many(.concept)), ("reasonReference", S.many(.reference)),
            (
                "diagnosis",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Encounter.diagnosis", base: .backbone,
                            [
                                ("condition", S.one(.reference, required: true)), ("use", S.one(.concept)),
                                ("rank", S.one(.positiveInt)),
                            ])))
            ),
            ("account", S.many(.reference)),
            (
                "hospitalization",
                S.one(
                    .backbone(
                        FHIRStructure(
                            "Encounter.hospitalization", base: .backbone,
                            [
                                ("preAdmissionIdentifier", S.one(.identifier)), ("origin", S.one(.reference)),
                                ("admitSource", S.one(.concept)), ("reAdmission", S.one(.concept)),
                                ("dietPreference", S.many(.concept)), ("specialCourtesy", S.many(.concept)),
                                ("specialArrangement", S.many(.concept)), ("destination", S.one(.reference)),
                                ("dischargeDisposition", S.one(.concept)),
                            ])))
            ),
            (
                "location",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Encounter.location", base: .backbone,
                            [
                                ("location", S.one(.reference, required: true)),
                                ("status", S.code(FHIRBinding("EncounterLocationStatus", ["planned", "active", "reserved", "completed"]))),
                                ("physicalType", S.one(.concept)), ("period", S.one(.period)),
                            ])))
            ),
            ("serviceProvider", S.one(.reference)), ("partOf", S.one(.reference)),
        ])

    static let documentReference = FHIRStructure(
        "DocumentReference", base: .domainResource,
        [
            ("masterIdentifier", S.one(.identifier)), ("identifier", S.many(.identifier)),
            ("status", S.code(FHIRBinding("DocumentReferenceStatus", ["current", "superseded", "entered-in-error"]), required: true)),
            ("docStatus", S.code(FHIRBinding("CompositionStatus", ["preliminary", "final", "amended", "entered-in-error"]))),
            ("type", S.one(.concept)), ("category", S.many(.concept)), ("subject", S.one(.reference)),
            ("date", S.one(.instant)), ("author", S.many(.reference)), ("authenticator", S.one(.reference)),
            ("custodian", S.one(.reference)),
            (
                "relatesTo",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "DocumentReference.relatesTo", base: .backbone,
                            [
                                ("code", S.code(FHIRBinding("DocumentRelationshipType", ["replaces", "transforms", "signs", "appends"]), required: true)),
                                ("target", S.one(.reference, required: true)),
                            ])))
            ),
            ("description", S.one(.string)), ("securityLabel", S.many(.concept)),
            (
                "content",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "DocumentReference.content", base: .backbone,
                            [("attachment", S.one(.datatype(.attachment), required: true)), ("format", S.one(.coding))])),
                    required: true)
            ),
            (
                "context",
                S.one(
                    .backbone(
                        FHIRStructure(
                            "DocumentReference.context", base: .backbone,
                            [
                                ("encounter", S.many(.reference)), ("event", S.many(.concept)), ("period", S.one(.period)),
                                ("facilityType", S.one(.concept)), ("practiceSetting", S.one(.concept)),
                                ("sourcePatientInfo", S.one(.reference)), ("related", S.many(.reference)),
                            ])))
            ),
        ])

    static let bundleTypes = FHIRBinding(
        "BundleType",
        ["document", "message", "transaction", "transaction-response", "batch", "batch-response", "history",
         "searchset", "collection"])

    static let httpVerbs = FHIRBinding("HTTPVerb", ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])

    static let bundleLink = FHIRStructure(
        "Bundle.link", base: .backbone,
        [("relation", S.one(.string, required: true)), ("url", S.one(.uri, required: true))])

    static let bundle = FHIRStructure(
        "Bundle", base: .resource,
        [
            ("identifier", S.one(.identifier)), ("type", S.code(bundleTypes, required: true)),
            ("timestamp", S.one(.instant)), ("total", S.one(.unsignedInt)), ("link", S.many(.backbone(bundleLink))),
            (
                "entry",
                S.many(
                    .backbone(
                        FHIRStructure(
                            "Bundle.entry", base: .backbone,
                            [
                                ("link", S.many(.backbone(bundleLink))), ("fullUrl", S.one(.uri)),
                                ("resource", S.one(.resource)),
                                (
                                    "search",
                                    S.one(
                                        .backbone(
                                            FHIRStructure(
                                                "Bundle.entry.search", base: .backbone,
                                                [
                                                    ("mode", S.code(FHIRBinding("SearchEntryMode", ["match", "include", "outcome"]))),
                                                    ("score", S.one(.decimal)),
                                                ])))
                                ),
                                (
                                    "request",
                                    S.one(
                                        .backbone(
                                            FHIRStructure(
                                                "Bundle.entry.request", base: .backbone,
                                                [
                                                    ("method", S.code(httpVerbs, required: true)),
                                                    ("url", S.one(.uri, required: true)),
                                                    ("ifNoneMatch", S.one(.string)), ("ifModifiedSince", S.one(.instant)),
                                                    ("ifMatch", S.one(.string)), ("ifNoneExist", S.one(.string)),
                                                ])))
                                ),
                                (
                                    "response",
                                    S.one(
                                        .backbone(
                                            FHIRStructure(
                                                "Bundle.entry.response", base: .backbone,
                                                [
                                                    ("status", S.one(.string, required: true)), ("location", S.one(.uri)),
                                                    ("etag", S.one(.string)), ("lastModified", S.one(.instant)),
                                                    ("outcome", S.one(.resource)),
                                                ])))
                                ),
                            ])))
            ),
            ("signature", S.one(.datatype(.opaque))),
        ])

    /// Every R4 (4.0.1) resource type.
    static let allTypes: Set<String> = [
        "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance", "Appointment", "AppointmentResponse",
        "AuditEvent", "Basic", "Binary", "BiologicallyDerivedProduct", "BodyStructure", "Bundle", "CapabilityStatement",
        "CarePlan", "CareTeam", "CatalogEntry", "ChargeItem", "ChargeItemDefinition", "Claim", "ClaimResponse",
        "ClinicalImpression", "CodeSystem", "Communication", "CommunicationRequest", "CompartmentDefinition",
        "Composition", "ConceptMap", "Condition", "Consent", "Contract", "Coverage", "CoverageEligibilityRequest",
        "CoverageEligibilityResponse", "DetectedIssue", "Device", "DeviceDefinition", "DeviceMetric", "DeviceRequest",
        "DeviceUseStatement", "DiagnosticReport", "DocumentManifest", "DocumentReference", "EffectEvidenceSynthesis",
        "Encounter", "Endpoint", "EnrollmentRequest", "EnrollmentResponse", "EpisodeOfCare", "EventDefinition",
        "Evidence", "EvidenceVariable", "ExampleScenario", "ExplanationOfBenefit", "FamilyMemberHistory", "Flag",
        "Goal", "GraphDefinition", "Group", "GuidanceResponse", "HealthcareService", "ImagingStudy", "Immunization",
        "ImmunizationEvaluation", "ImmunizationRecommendation", "ImplementationGuide", "InsurancePlan", "Invoice",
        "Library", "Linkage", "List", "Location", "Measure", "MeasureReport", "Media", "Medication",
        "MedicationAdministration", "MedicationDispense", "MedicationKnowledge", "MedicationRequest",
        "MedicationStatement", "MedicinalProduct", "MedicinalProductAuthorization", "MedicinalProductContraindication",
        "MedicinalProductIndication", "MedicinalProductIngredient", "MedicinalProductInteraction",
        "MedicinalProductManufactured", "MedicinalProductPackaged", "MedicinalProductPharmaceutical",
        "MedicinalProductUndesirableEffect", "MessageDefinition", "MessageHeader", "MolecularSequence", "NamingSystem",
        "NutritionOrder", "Observation", "ObservationDefinition", "OperationDefinition", "OperationOutcome",
        "Organization", "OrganizationAffiliation", "Parameters", "Patient", "PaymentNotice", "PaymentReconciliation",
        "Person", "PlanDefinition", "Practitioner", "PractitionerRole", "Procedure", "Provenance", "Questionnaire",
        "QuestionnaireResponse", "RelatedPerson", "RequestGroup", "ResearchDefinition", "ResearchElementDefinition",
        "ResearchStudy", "ResearchSubject", "RiskAssessment", "RiskEvidenceSynthesis", "Schedule", "SearchParameter",
        "ServiceRequest", "Slot", "Specimen", "SpecimenDefinition", "StructureDefinition", "StructureMap",
        "Subscription", "Substance", "SubstanceNucleicAcid", "SubstancePolymer", "SubstanceProtein",
        "SubstanceReferenceInformation", "SubstanceSourceMaterial", "SubstanceSpecification", "SupplyDelivery",
        "SupplyRequest", "Task", "TerminologyCapabilities", "TestReport", "TestScript", "ValueSet",
        "VerificationResult", "VisionPrescription",
    ]
}
