import Foundation
import VigilModelCore

/// A patient as the source system identifies them. PHI: exists only in ingestion, de-id and the
/// identified topics; everything downstream sees a `Pseudonym`.
public struct IdentifiedPatient: Hashable, Sendable, Codable, PHIRedacted {
    /// The authority that assigned `patientID` (HL7 PID-3.4, FHIR `Identifier.system`).
    public var assigningAuthority: String
    /// The primary identifier (usually the MRN); with `assigningAuthority` it determines the pseudonym.
    public var patientID: String
    /// Further identifiers (national id, insurance number, other MRNs).
    public var identifiers: [PatientIdentifier]
    public var names: [PersonName]
    public var birthDate: PartialDate?
    public var sex: AdministrativeSex?
    public var addresses: [PostalAddress]
    /// Phone numbers, e-mail addresses and the like.
    public var telecoms: [ContactPoint]

    public init(
        assigningAuthority: String, patientID: String, identifiers: [PatientIdentifier] = [],
        names: [PersonName] = [], birthDate: PartialDate? = nil, sex: AdministrativeSex? = nil,
        addresses: [PostalAddress] = [], telecoms: [ContactPoint] = []
    ) {
        self.assigningAuthority = assigningAuthority
        self.patientID = patientID
        self.identifiers = identifiers
        self.names = names
        self.birthDate = birthDate
        self.sex = sex
        self.addresses = addresses
        self.telecoms = telecoms
    }

    /// The patient's pseudonym under the given key (see `Pseudonym.derive`).
    public func pseudonym(key: some ContiguousBytes, keyID: String) throws -> Pseudonym {
        try Pseudonym.derive(assigningAuthority: assigningAuthority, patientID: patientID, key: key, keyID: keyID)
    }

    /// Kafka key for the identified topic: a hash of authority and id that keeps a patient on one
    /// partition. Only for partitioning inside the PHI zone — an unkeyed hash of an MRN is guessable.
    public var partitionKey: String {
        HexDigest.sha256(framing: ["vigil.partition/1", assigningAuthority, patientID]).hex
    }

    private enum CodingKeys: String, CodingKey {
        case assigningAuthority, patientID, identifiers, names, birthDate, sex, addresses, telecoms
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            assigningAuthority: try c.decode(String.self, forKey: .assigningAuthority),
            patientID: try c.decode(String.self, forKey: .patientID),
            identifiers: try c.decodeIfPresent([PatientIdentifier].self, forKey: .identifiers) ?? [],
            names: try c.decodeIfPresent([PersonName].self, forKey: .names) ?? [],
            birthDate: try c.decodeIfPresent(PartialDate.self, forKey: .birthDate),
            sex: try c.decodeIfPresent(AdministrativeSex.self, forKey: .sex),
            addresses: try c.decodeIfPresent([PostalAddress].self, forKey: .addresses) ?? [],
            telecoms: try c.decodeIfPresent([ContactPoint].self, forKey: .telecoms) ?? [])
        for (key, text) in [(CodingKeys.assigningAuthority, assigningAuthority), (.patientID, patientID)]
        where text.isEmpty {
            throw ModelCoreError(.invalidPayload, reason: "must not be empty").at(decoder.codingPath + [key])
        }
    }
}

/// One identifier of a patient, e.g. a national health number.
public struct PatientIdentifier: Hashable, Sendable, Codable, PHIRedacted {
    public var value: String
    /// Identifier type code (HL7 table 0203: `MR`, `SS`, `NH`, …).
    public var type: String?
    public var assigningAuthority: String?

    public init(value: String, type: String? = nil, assigningAuthority: String? = nil) {
        self.value = value
        self.type = type
        self.assigningAuthority = assigningAuthority
    }
}

public struct PersonName: Hashable, Sendable, Codable, PHIRedacted {
    public var family: String?
    public var given: [String]
    public var prefix: String?
    public var suffix: String?
    /// Name use (HL7 table 0200 / FHIR `NameUse`), e.g. `official`, `maiden`.
    public var use: String?

    public init(
        family: String? = nil, given: [String] = [], prefix: String? = nil, suffix: String? = nil, use: String? = nil
    ) {
        self.family = family
        self.given = given
        self.prefix = prefix
        self.suffix = suffix
        self.use = use
    }
}

public struct PostalAddress: Hashable, Sendable, Codable, PHIRedacted {
    public var lines: [String]
    public var city: String?
    public var district: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?

    public init(
        lines: [String] = [], city: String? = nil, district: String? = nil, state: String? = nil,
        postalCode: String? = nil, country: String? = nil
    ) {
        self.lines = lines
        self.city = city
        self.district = district
        self.state = state
        self.postalCode = postalCode
        self.country = country
    }
}

/// A phone number, e-mail address or other contact point (FHIR `ContactPoint`).
public struct ContactPoint: Hashable, Sendable, Codable, PHIRedacted {
    public enum System: String, Hashable, Sendable, Codable, CaseIterable {
        case phone, fax, email, pager, url, sms, other
    }

    public var system: System
    public var value: String
    /// e.g. `home`, `work`, `mobile`.
    public var use: String?

    public init(system: System, value: String, use: String? = nil) {
        self.system = system
        self.value = value
        self.use = use
    }
}
