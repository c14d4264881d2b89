import Foundation
import VigilModelCore
import VigilPHI

/// The patient as the vault knows them: the pseudonym used downstream and the date shift fixed at first sight.
public struct PatientContext: Hashable, Sendable {
    public var pseudonym: Pseudonym
    public var dateShiftDays: Int

    public init(pseudonym: Pseudonym, dateShiftDays: Int) {
        self.pseudonym = pseudonym
        self.dateShiftDays = dateShiftDays
    }
}

/// Applies a policy to one identified event: a de-identified `ClinicalEvent` whose provenance says which rule
/// changed which field. Pure: no I/O, the same inputs give the same output.
public struct Deidentifier: Sendable {
    public let policy: DeidPolicy
    public let policyHash: String
    public let keyring: DeidKeyring
    public let scrubber: any TextScrubbing

    public init(policy: DeidPolicy, keyring: DeidKeyring, scrubber: any TextScrubbing) {
        self.policy = policy
        self.policyHash = policy.hash
        self.keyring = keyring
        self.scrubber = scrubber
    }

    /// The offset for a patient seen for the first time (the vault keeps it afterwards).
    public func dateShiftDays(for patient: IdentifiedPatient) -> Int {
        let mac = keyring.mac(.dateShift, [patient.assigningAuthority, patient.patientID])
        let value = mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let minimum = policy.parameters.dateShiftMinDays
        let width = UInt64(policy.parameters.dateShiftMaxDays - minimum + 1)
        return minimum + Int(value % width)
    }

    public func deidentify(_ event: IdentifiedEvent, patient context: PatientContext) throws -> ClinicalEvent {
        var applied: [DeidProvenance.RuleApplication] = []
        let codeKey = "\(event.code.system)|\(event.code.code)"
        func rule(_ path: DeidPath) -> DeidPolicy.Rule? {
            let found = policy.rule(for: path, code: codeKey)
            if let found { applied.append(.init(rule: found.id, path: path.rawValue, action: found.action.rawValue)) }
            return found
        }
        let known = KnownIdentity(event.patient)
        var spans: [String: Int] = [:]
        func text(_ value: String?, _ path: DeidPath) throws -> String? {
            guard let value else { return nil }
            guard let rule = rule(path) else { return nil }  // unruled text never passes
            switch rule.action {
            case .keep: return value
            case .redact: return nil
            case .substitute: return rule.replaceWith
            default:
                let result = try scrubber.scrub(value, known: known, shiftDays: context.dateShiftDays)
                spans.merge(result.spans, uniquingKeysWith: +)
                return result.text
            }
        }
        _ = rule(.patient)
        var shifted = false
        func time(_ date: Date, _ path: DeidPath) -> Date {
            guard rule(path)?.action != .keep else { return date }
            shifted = true
            return date.addingTimeInterval(Double(context.dateShiftDays) * 86_400)
        }
        var code = event.code
        code.display = try text(code.display, .codeDisplay)
        let value = try deidentifiedValue(event, rule: rule, text: text)
        var source = event.source
        source.messageControlID = identifier(source.messageControlID, .controlID, rule) ?? "redacted"
        source.system = identifier(source.system, .sourceSystem, rule) ?? "redacted"
        _ = rule(.identifiers)
        _ = rule(.names)
        _ = rule(.addresses)
        _ = rule(.telecoms)
        return ClinicalEvent(
            id: event.id, patient: context.pseudonym, encounter: identifier(event.encounter, .encounter, rule),
            kind: event.kind, revises: event.revises, code: code, value: value,
            effectiveTime: time(event.effectiveTime, .effectiveTime), recordedTime: time(event.recordedTime, .recordedTime),
            source: source, demographics: demographics(event, rule: rule),
            deidentification: DeidProvenance(
                policyName: policy.name, policyVersion: policy.version, policyHash: policyHash,
                keyID: keyring.currentID, dateShifted: shifted, rules: applied, spans: spans))
    }

    private func deidentifiedValue(
        _ event: IdentifiedEvent, rule: (DeidPath) -> DeidPolicy.Rule?, text: (String?, DeidPath) throws -> String?
    ) throws -> EventValue? {
        switch event.value {
        case nil: return nil
        case .text(let note):
            return try text(note, .text).map(EventValue.text)
        case .coded(var coding):
            coding.display = try text(coding.display, .codedDisplay)
            return .coded(coding)
        case .quantity(let number, let unit):
            guard let rule = rule(.quantity) else { return nil }
            switch rule.action {
            case .redact: return nil
            case .generalize: return .quantity(value: min(number, Double(policy.parameters.ageCap)), unit: unit)
            case .perturb: return .quantity(value: perturbed(number, event: event, rule: rule), unit: unit)
            default: return .quantity(value: number, unit: unit)
            }
        }
    }

    /// Deterministic noise (an HMAC of the event id), so a replay gives the same value.
    private func perturbed(_ number: Double, event: IdentifiedEvent, rule: DeidPolicy.Rule) -> Double {
        let mac = keyring.mac(.perturb, [event.id.rawValue, rule.id])
        let unit = Double(mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) / Double(UInt64.max) * 2 - 1
        let span = rule.span ?? 0
        var result = number + unit * (rule.rangeType == "proportional" ? abs(number) * span : span)
        if let digits = rule.roundTo {
            let scale = pow(10, Double(digits))
            result = (result * scale).rounded() / scale
        }
        return result
    }

    private func identifier(_ value: String?, _ path: DeidPath, _ rule: (DeidPath) -> DeidPolicy.Rule?) -> String? {
        guard let value, let rule = rule(path) else { return nil }
        switch rule.action {
        case .keep: return value
        case .substitute: return rule.replaceWith
        case .cryptoHash:
            return "h1.\(keyring.currentID).\(Base32.encode(keyring.mac(.hash, [path.rawValue, value])))"
        case .encrypt:
            return (try? FieldCipher.seal(value, path: path.rawValue, keyring: keyring)) ?? nil
        default: return nil
        }
    }

    private func demographics(_ event: IdentifiedEvent, rule: (DeidPath) -> DeidPolicy.Rule?) -> Demographics? {
        var result = Demographics()
        let patient = event.patient
        if let birth = patient.birthDate, rule(.birthDate)?.action == .generalize {
            let age = Self.age(born: birth, at: event.effectiveTime)
            if let age, age >= 0 {
                result.ageYears = min(age, policy.parameters.ageCap)
                result.ageTopCoded = age >= policy.parameters.ageCap
            }
        }
        if let sex = patient.sex, rule(.sex)?.action == .keep { result.sex = sex }
        if let zip = patient.addresses.compactMap(\.postalCode).first, rule(.postalCode)?.action == .generalize {
            let digits = String(zip.filter(\.isNumber).prefix(3))
            if digits.count == 3 {
                result.zip3 = policy.parameters.restrictedZip3.contains(digits) ? "000" : digits
            }
        }
        return result == Demographics() ? nil : result
    }

    /// Whole years from a (possibly partial) birth date to `date`, in UTC; a missing day counts as the 15th,
    /// a missing month as 1 July.
    static func age(born: PartialDate, at date: Date) -> Int? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = now.year, let month = now.month, let day = now.day else { return nil }
        let birthMonth = born.month ?? 7
        let birthDay = born.day ?? (born.month == nil ? 1 : 15)
        var age = year - born.year
        if (month, day) < (birthMonth, birthDay) { age -= 1 }
        return age
    }
}
