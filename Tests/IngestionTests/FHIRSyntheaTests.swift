import Foundation
import Ingestion
import Testing
import VigilModelCore
import VigilPHI

/// Every Synthea bundle (the fixtures, and `../shared/data/fhir_r4/synthea` when present) is accepted, and
/// its events agree with the bundle as read here with plain `JSONSerialization`.
@Suite struct FHIRSyntheaTests {
    static let bundles = FHIRFixtures.allSynthea

    @Test func corpusIsPresent() {
        #expect(FHIRFixtures.fixtureSynthea.count >= 4)
    }

    @Test(arguments: bundles)
    func acceptedWithObservationEventsMatchingTheBundle(url: URL) throws {
        let body = FHIRFixtures.bytes(url)
        let acceptance = try #require(
            FHIRIntake.process(body, contentType: "application/fhir+json").acceptance,
            "\(url.lastPathComponent) rejected")
        #expect(acceptance.outcome.issues.filter(\.isError).isEmpty)
        let bundle = FHIRFixtures.json(body)
        let entries = try #require(bundle["entry"] as? [[String: Any]])

        // Independent count: one event per Observation, or one per component (plus its own value, if any).
        var expectedObservationEvents = 0
        var expectedLab = 0
        for entry in entries {
            guard let resource = entry["resource"] as? [String: Any], resource["resourceType"] as? String == "Observation",
                !["cancelled", "entered-in-error"].contains(resource["status"] as? String ?? "")
            else { continue }
            let components = (resource["component"] as? [Any])?.count ?? 0
            let hasValue = resource.keys.contains { $0.hasPrefix("value") }
            let count = components == 0 ? 1 : components + (hasValue ? 1 : 0)
            expectedObservationEvents += count
            let categories = (resource["category"] as? [[String: Any]]) ?? []
            let isLab = categories.contains { ($0["coding"] as? [[String: Any]])?.contains { $0["code"] as? String == "laboratory" } == true }
            if isLab { expectedLab += count }
        }
        let observationEvents = acceptance.events.filter { $0.kind == .observation || $0.kind == .lab }
        #expect(observationEvents.count == expectedObservationEvents)
        #expect(observationEvents.filter { $0.kind == .lab }.count == expectedLab)
        #expect(acceptance.coverage.events["Observation"] == expectedObservationEvents)

        // Every event belongs to the bundle's patient, keyed by its MR identifier.
        let patient = try #require(entries.compactMap { $0["resource"] as? [String: Any] }.first { $0["resourceType"] as? String == "Patient" })
        let mr = try #require((patient["identifier"] as? [[String: Any]])?.first { identifier in
            ((identifier["type"] as? [String: Any])?["coding"] as? [[String: Any]])?.contains { $0["code"] as? String == "MR" } == true
        })
        for event in acceptance.events {
            #expect(event.patient.patientID == mr["value"] as? String)
            #expect(event.patient.assigningAuthority == mr["system"] as? String)
        }
        #expect(Set(acceptance.events.map(\.id)).count == acceptance.events.count)
    }

    /// For a sample of observations (every 7th entry, every component), code, value, unit and effective time
    /// equal the JSON's.
    @Test(arguments: bundles)
    func sampledObservationsCarryTheBundlesValues(url: URL) throws {
        let body = FHIRFixtures.bytes(url)
        let acceptance = try #require(FHIRIntake.process(body, contentType: nil).acceptance)
        let byPosition = Dictionary(uniqueKeysWithValues: acceptance.events.map { ($0.source.position, $0) })
        let entries = try #require(FHIRFixtures.json(body)["entry"] as? [[String: Any]])
        let iso = ISO8601DateFormatter()
        var checked = 0
        for (index, entry) in entries.enumerated() where index % 7 == 0 {
            guard let resource = entry["resource"] as? [String: Any], resource["resourceType"] as? String == "Observation"
            else { continue }
            let effectiveText = try #require(resource["effectiveDateTime"] as? String)
            let effective = try #require(iso.date(from: effectiveText))
            let parts: [(sub: Int, element: [String: Any])] =
                ((resource["component"] as? [[String: Any]]).map { $0.enumerated().map { ($0.offset + 1, $0.element) } })
                ?? [(0, resource)]
            for (sub, element) in parts {
                let event = try #require(byPosition[index * 1000 + sub], "no event for entry \(index) part \(sub)")
                let codings = try #require((element["code"] as? [String: Any])?["coding"] as? [[String: Any]])
                let loinc = try #require(codings.first { $0["system"] as? String == "http://loinc.org" })
                #expect(event.code.system == "http://loinc.org")
                #expect(event.code.code == loinc["code"] as? String)
                #expect(abs(event.effectiveTime.timeIntervalSince(effective)) < 0.001)
                if let quantity = element["valueQuantity"] as? [String: Any] {
                    let value = try #require((quantity["value"] as? NSNumber)?.doubleValue)
                    let unit = try #require(quantity["code"] as? String)
                    #expect(event.value == .quantity(value: value, unit: unit))
                } else if let text = element["valueString"] as? String {
                    #expect(event.value == .text(text))
                } else if let concept = element["valueCodeableConcept"] as? [String: Any] {
                    let coding = try #require((concept["coding"] as? [[String: Any]])?.first)
                    guard case .coded(let mapped) = event.value else {
                        Issue.record("expected a coded value")
                        continue
                    }
                    #expect(mapped.code == coding["code"] as? String)
                    #expect(mapped.system == coding["system"] as? String)
                }
                checked += 1
            }
        }
        #expect(checked > 0)
    }

    @Test func sameBundleTwiceYieldsIdenticalEventIDs() throws {
        for url in FHIRFixtures.fixtureSynthea {
            let body = FHIRFixtures.bytes(url)
            let first = try #require(FHIRIntake.process(body, contentType: nil).acceptance)
            let second = try #require(FHIRIntake.process(body, contentType: "application/fhir+json").acceptance)
            #expect(first.events.map(\.id) == second.events.map(\.id))
            #expect(first.events == second.events)
            #expect(first.messageControlID == "sha256:" + HexDigest.sha256(of: body).hex)  // Synthea sets no Bundle.id
        }
    }

    @Test func encountersYieldAdmissionAndDischarge() throws {
        let url = try #require(FHIRFixtures.fixtureSynthea.first)
        let body = FHIRFixtures.bytes(url)
        let acceptance = try #require(FHIRIntake.process(body, contentType: nil).acceptance)
        let entries = try #require(FHIRFixtures.json(body)["entry"] as? [[String: Any]])
        let encounters = entries.compactMap { $0["resource"] as? [String: Any] }.filter {
            $0["resourceType"] as? String == "Encounter"
        }
        let finishedWithEnd = encounters.filter {
            $0["status"] as? String == "finished" && ($0["period"] as? [String: Any])?["end"] != nil
        }
        #expect(acceptance.events.filter { $0.kind == .admission }.count == encounters.count)
        #expect(acceptance.events.filter { $0.kind == .discharge }.count == finishedWithEnd.count)
        #expect(acceptance.coverage.resourceCount("Claim", .ignored) == entries.filter {
            ($0["resource"] as? [String: Any])?["resourceType"] as? String == "Claim"
        }.count)
    }

    /// Throughput over the whole corpus (printed; the figure is reported, not asserted).
    @Test func throughput() throws {
        let bodies = Self.bundles.map(FHIRFixtures.bytes)
        let bytes = bodies.reduce(0) { $0 + $1.count }
        let clock = ContinuousClock()
        var events = 0
        let elapsed = clock.measure {
            for body in bodies { events += FHIRIntake.process(body, contentType: nil).acceptance?.events.count ?? 0 }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print(
            "FHIR intake: \(bodies.count) bundles, \(bytes / 1_000_000) MB, \(events) events in "
                + String(format: "%.2f s: %.1f bundles/s, %.1f MB/s", seconds, Double(bodies.count) / seconds,
                    Double(bytes) / 1e6 / seconds))
        #expect(events > 0)
    }
}
