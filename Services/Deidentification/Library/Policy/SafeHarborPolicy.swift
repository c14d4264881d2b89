/// The built-in policy, identical to `config/deid/safe-harbor.yaml` (a test keeps them equal): the default
/// when `VIGIL_DEID_POLICY` names no file.
public enum SafeHarborPolicy {
    public static let yaml = """
        # Vigil de-identification policy: HIPAA Safe Harbor (45 CFR 164.514(b)(2)) with dates shifted per patient.
        # The first rule whose path (and `where`) matches a field applies. Start-up fails on any unknown key, path or
        # action, naming the rule. The SHA-256 of this policy's parsed form is stamped on every output event.
        apiVersion: vigil.deid/v1
        kind: DeidPolicy
        metadata:
          name: safe-harbor
          version: "1.0"
        profile: safeHarbor
        parameters:
          dateShift: {minDays: -365, maxDays: -1}
          ageCap: 90
          # HHS 2012 guidance (2000 Census) and Microsoft's anonymizer sample, united: ZIP3 areas under 20,000 people.
          restrictedZip3: ["036", "059", "063", "102", "203", "205", "369", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884", "890", "893"]
          ageCodes: ["http://loinc.org|30525-0", "http://loinc.org|21612-7", "http://loinc.org|29553-5"]
          scrubber: {professions: true}
        rules:
          - {id: patient, path: patient, action: pseudonymize}
          - {id: identifiers, path: "patient.identifiers[*]", action: redact}
          - {id: names, path: "patient.names[*]", action: redact}
          - {id: birth-date, path: patient.birthDate, action: generalize, method: ageCap}
          - {id: sex, path: patient.sex, action: keep}
          - {id: zip, path: "patient.addresses[*].postalCode", action: generalize, method: zip3}
          - {id: addresses, path: "patient.addresses[*]", action: redact}
          - {id: telecoms, path: "patient.telecoms[*]", action: redact}
          - {id: encounter, path: encounter, action: cryptoHash}
          - {id: times, path: [effectiveTime, recordedTime], action: dateShift}
          - {id: age-values, path: value.quantity, where: {codeIn: $ageCodes}, action: generalize, method: ageCap}
          - {id: quantities, path: value.quantity, action: keep}
          - {id: text, path: value.text, action: scrub}
          - {id: displays, path: [code.display, value.coded.display], action: scrub}
          - {id: control-id, path: source.messageControlID, action: cryptoHash}
          - {id: source-system, path: source.system, action: keep}
        """
}
