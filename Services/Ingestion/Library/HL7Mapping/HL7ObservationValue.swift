import VigilHL7
import VigilModelCore

/// OBX-5 read as the type OBX-2 names.
///
/// - NM: a decimal number (optional sign, digits, optional fraction; padding spaces allowed), in the unit of
///   OBX-6 normalized to UCUM (`HL7UnitTable`). Exponents, decimal commas, `NaN` and other text are not
///   numbers: the OBX is ignored with a note rather than guessed at. An NM sent with a leading comparator
///   (`>250`, a common sender error) is read like an SN bound.
/// - SN: `=`/no comparator → the number; `<`, `>`, `<=`, `>=` → the bound as the value (noted as defaulted:
///   the canonical quantity has no comparator); ranges and ratios (`^150^-^400`, `^1^:^128`) → text.
/// - ST → text; TX, FT → text of a note event; repetitions are joined by line breaks.
/// - CE, CWE, CNE → coded: the primary triplet, else the alternate, in its own system (`HL7CodingSystems`);
///   only original text → text.
/// Repetitions of NM, SN and coded values after the first are ignored (noted).
extension HL7MappingRun {
    func observationValue(_ obx: OBXSegment, type: String, index: Int, notes: inout [PendingNote]) -> EventValue? {
        let repetitions = obx.values
        switch type {
        case "ST", "TX", "FT":
            let lines = repetitions.compactMap { $0.string }
            let text = lines.joined(separator: "\n")
            guard !text.allSatisfy({ $0 == " " || $0 == "\n" || $0 == "\t" }) else {
                notes.append(PendingNote(index, "OBX-5", .ignored, "blank text"))
                return nil
            }
            notes.append(PendingNote(index, "OBX-5", .mapped, type == "ST" ? "text value" : "text (note event)"))
            return .text(text)
        case "CE", "CWE", "CNE":
            noteExtraRepetitions(repetitions.count, index: index, notes: &notes)
            let cwe = HL7CWE(obx.value)
            for (code, system, text) in [
                (cwe.identifier, cwe.codingSystem, cwe.text),
                (cwe.alternateIdentifier, cwe.alternateCodingSystem, cwe.alternateText),
            ] {
                guard let code = code.hl7NonEmpty else { continue }
                notes.append(PendingNote(index, "OBX-5", .mapped, "coded value"))
                return .coded(
                    Coding(
                        system: HL7CodingSystems.uri(for: system).uri, code: code,
                        display: text.hl7NonEmpty ?? cwe.originalText.hl7NonEmpty))
            }
            if let text = cwe.originalText.hl7NonEmpty ?? cwe.text.hl7NonEmpty {
                notes.append(PendingNote(index, "OBX-5", .defaulted, "coded value without a code; text used"))
                return .text(text)
            }
            notes.append(PendingNote(index, "OBX-5", .ignored, "coded value without code or text"))
            return nil
        case "NM":
            noteExtraRepetitions(repetitions.count, index: index, notes: &notes)
            let text = obx.value.repetition(1).string ?? ""
            if let number = Self.number(text) {
                notes.append(PendingNote(index, "OBX-5", .mapped, "numeric value"))
                return quantity(number, obx, index: index, notes: &notes)
            }
            if let (_, bound) = Self.bound(text) {
                notes.append(PendingNote(index, "OBX-5", .defaulted, "NM with a comparator; the bound is the value"))
                return quantity(bound, obx, index: index, notes: &notes)
            }
            notes.append(PendingNote(index, "OBX-5", .ignored, "not a valid NM number"))
            return nil
        case "SN":
            noteExtraRepetitions(repetitions.count, index: index, notes: &notes)
            return structuredNumeric(HL7SN(obx.value.repetition(1)), obx, index: index, notes: &notes)
        default:
            return nil
        }
    }

    private func structuredNumeric(
        _ sn: HL7SN, _ obx: OBXSegment, index: Int, notes: inout [PendingNote]
    ) -> EventValue? {
        let comparator = sn.comparator.hl7NonEmpty ?? "="
        let separator = sn.separatorOrSuffix.hl7NonEmpty
        let second = sn.number2.hl7NonEmpty
        guard let first = sn.number1.flatMap(Self.number) else {
            notes.append(PendingNote(index, "OBX-5", .ignored, "SN without a valid first number"))
            return nil
        }
        if separator == nil, second == nil {
            switch comparator {
            case "=":
                notes.append(PendingNote(index, "OBX-5", .mapped, "numeric value"))
            case "<", ">", "<=", ">=":
                notes.append(PendingNote(index, "OBX-5", .defaulted, "SN comparator dropped; the bound is the value"))
            default:
                notes.append(PendingNote(index, "OBX-5", .ignored, "SN comparator not understood"))
                return nil
            }
            return quantity(first, obx, index: index, notes: &notes)
        }
        guard let separator, ["-", "+", "/", ".", ":"].contains(separator),
            second == nil ? separator == "+" : second.flatMap(Self.number) != nil
        else {
            notes.append(PendingNote(index, "OBX-5", .ignored, "SN separator or second number not understood"))
            return nil
        }
        notes.append(PendingNote(index, "OBX-5", .defaulted, "SN range or ratio kept as text"))
        let prefix = comparator == "=" ? "" : comparator
        return .text(prefix + (sn.number1 ?? "").hl7Trimmed + separator + (second ?? ""))
    }

    private func quantity(_ number: Double, _ obx: OBXSegment, index: Int, notes: inout [PendingNote]) -> EventValue {
        let units = obx.units
        let unit = units.identifier.hl7NonEmpty ?? units.text.hl7NonEmpty
        let declaredUCUM =
            units.codingSystem.hl7NonEmpty?.uppercased() == "UCUM"
            || (units.alternateCodingSystem.hl7NonEmpty?.uppercased() == "UCUM" && units.alternateIdentifier == nil)
        let normalized = configuration.units.normalize(number, unit: unit, declaredUCUM: declaredUCUM)
        let note: PendingNote =
            switch normalized.outcome {
            case .recognised: PendingNote(index, "OBX-6", .mapped, "unit normalized to UCUM")
            case .converted: PendingNote(index, "OBX-6", .mapped, "value converted to the UCUM unit Vigil uses")
            case .declaredUCUM: PendingNote(index, "OBX-6", .mapped, "declared UCUM; used as sent")
            case .verbatim: PendingNote(index, "OBX-6", .defaulted, "not a known UCUM spelling; kept verbatim")
            case .absent: PendingNote(index, "OBX-6", .defaulted, "no unit; UCUM 1 assumed")
            }
        notes.append(note)
        return .quantity(value: normalized.value, unit: normalized.unit)
    }

    private func noteExtraRepetitions(_ count: Int, index: Int, notes: inout [PendingNote]) {
        if count > 1 { notes.append(PendingNote(index, "OBX-5", .ignored, "repetitions after the first not mapped")) }
    }

    /// HL7 NM: `[+|-]digits[.digits]` (or `.digits`), padding spaces allowed; finite.
    static func number(_ text: String) -> Double? {
        let trimmed = text.hl7Trimmed
        let bytes = Array(trimmed.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        var sawPoint = false
        while i < bytes.count {
            let byte = bytes[i]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }

    /// `>250`, `<= 0.3`: a comparator and a number.
    static func bound(_ text: String) -> (String, Double)? {
        let trimmed = text.hl7Trimmed
        for comparator in ["<=", ">=", "<", ">"] where trimmed.hasPrefix(comparator) {
            guard let value = number(String(trimmed.dropFirst(comparator.count))) else { return nil }
            return (comparator, value)
        }
        return nil
    }
}
