import Foundation
import Testing
import VigilModelCore
import VigilRuntime

@testable import Inference

/// The optional foundation-model narrative: configuration, the request it sends to a real local HTTP server,
/// and the deterministic fallback on timeout, 429, 5xx, malformed replies, an open circuit and a spent budget.
@Suite struct NarrativeTests {
    static let key = "KEY-5f0c2d9e-never-printed"
    static let canaryPatient = try! Pseudonym.derive(
        assigningAuthority: "HOSP", patientID: "CANARY-1", key: Array(repeating: 7, count: 32), keyID: "k1")
    static let canaryRecord = EventID.derive(namespace: "risk", parts: ["canary-record"])

    /// RR 26, SpO2 92 on air, SBP 120, HR 118, alert, 38.5 °C. By hand from the RCP chart: RR 3, SpO2 2,
    /// HR 2, temperature 1, others 0 ⇒ NEWS2 8 (high); qSOFA: RR ≥ 22 only ⇒ 1 (negative).
    static let vitals = VitalSigns(
        respiratoryRate: 26, spo2: 92, onOxygen: false, systolic: 120, heartRate: 118, consciousness: .alert,
        temperature: 38.5)
    static let summary = PatientSummary(
        ageYears: 97, sex: .female,
        measurements: [
            .init(name: "respiratory rate", value: 26, unit: "/min", hoursAgo: 0.5),
            .init(name: "heart rate", value: 118, unit: "/min", hoursAgo: 0.2),
            .init(name: "temperature", value: 38.5, unit: "Cel", hoursAgo: 1),
        ],
        scores: [.init(NEWS2.score(vitals)), .init(QSOFA.score(vitals))])
    static let expectedFallback =
        "NEWS2 8 (high): respiratory rate 3, SpO2 2, heart rate 2, temperature 1. "
        + "qSOFA 1 (negative): respiratory rate 1. "
        + "Latest: heart rate 118 /min, 0.2 h ago; respiratory rate 26 /min, 0.5 h ago; temperature 38.5 Cel, 1 h ago."

    func narrative(_ writer: NarrativeWriter) async -> RiskNarrative {
        await writer.narrative(for: Self.summary, riskRecordID: Self.canaryRecord, patient: Self.canaryPatient)
    }

    func expectFallback(_ narrative: RiskNarrative, _ reason: NarrativeFallbackReason) {
        #expect(narrative.fallbackReason == reason.rawValue)
        #expect(!narrative.aiGenerated)
        #expect(narrative.source == "fallback")
        #expect(narrative.deployment == nil)
        #expect(narrative.text == Self.expectedFallback)
        #expect(narrative.riskRecordID == Self.canaryRecord)
        #expect(narrative.patient == Self.canaryPatient)
    }

    // MARK: Text

    @Test func fallbackTextIsDeterministicAndNamesThePoints() {
        #expect(NarrativeText.fallback(Self.summary) == Self.expectedFallback)
        let shuffled = PatientSummary(
            ageYears: 97, sex: .female, measurements: Self.summary.measurements.reversed(),
            scores: Self.summary.scores.reversed())
        #expect(NarrativeText.fallback(shuffled) == Self.expectedFallback)
        #expect(
            NarrativeText.fallback(PatientSummary(ageYears: nil, sex: nil, measurements: [], scores: []))
                == "No early-warning score available.")
    }

    @Test func promptTopCodesAgeAndCarriesNoIdentifiers() {
        #expect(Self.summary.ageYears == 90)
        let prompt = Self.summary.promptText
        #expect(prompt.contains("Age: 90 or older"))
        #expect(prompt.contains("Sex: female"))
        #expect(prompt.contains("NEWS2 8 (high): respiratory rate 3, SpO2 2, heart rate 2, temperature 1"))
        #expect(prompt.contains("- respiratory rate 26 /min, 0.5 h ago"))
        let sneaky = PatientSummary(
            ageYears: 40, sex: .male,
            measurements: [
                .init(name: "lactate \(Self.canaryPatient.rawValue)", value: 2, unit: "mmol/L", hoursAgo: 1),
                .init(name: "taken 2024-03-05 \(Self.canaryRecord.rawValue)", value: 1, unit: "mg/dL", hoursAgo: 2),
            ],
            scores: [])
        let text = sneaky.promptText + NarrativeText.fallback(sneaky)
        #expect(!text.contains(Self.canaryPatient.rawValue) && !text.contains("p1.k1"))
        #expect(!text.contains(Self.canaryRecord.rawValue) && !text.contains("e1."))
        #expect(!text.contains("2024"))
        #expect(text.contains("lactate 2 mmol/L, 1 h ago"))
    }

    // MARK: Configuration

    static let minimal = [
        "VIGIL_NARRATIVE_ENDPOINT": "https://vigil-test.openai.azure.com/", "VIGIL_NARRATIVE_DEPLOYMENT": "gpt-4o-mini",
        "VIGIL_NARRATIVE_API_KEY": key,
    ]

    @Test func noEndpointMeansNoAdapter() throws {
        #expect(try NarrativeConfiguration(environment: [:]) == nil)
        #expect(try NarrativeConfiguration(environment: ["VIGIL_NARRATIVE_DEPLOYMENT": "x"]) == nil)
        #expect(try NarrativeWriter.make(environment: ["VIGIL_NARRATIVE_ENDPOINT": ""]) == nil)
        let disabled = NarrativeWriter.fallback(
            for: Self.summary, riskRecordID: Self.canaryRecord, patient: Self.canaryPatient, reason: .disabled)
        #expect(disabled.fallbackReason == "disabled" && disabled.text == Self.expectedFallback)
    }

    @Test func defaultsAndBothURLStyles() throws {
        let azure = try #require(try NarrativeConfiguration(environment: Self.minimal))
        let host = "https://vigil-test.openai.azure.com"
        #expect(azure.requestURL == host + "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21")
        #expect(azure.timeout == .milliseconds(3000))
        #expect(azure.callsPerHour == 120)
        #expect(azure.style == .azureOpenAI)
        var environment = Self.minimal
        environment["VIGIL_NARRATIVE_STYLE"] = "foundry"
        environment["VIGIL_NARRATIVE_ENDPOINT"] = "https://vigil-test.services.ai.azure.com"
        environment["VIGIL_NARRATIVE_API_VERSION"] = "2024-05-01-preview"
        let foundry = try #require(try NarrativeConfiguration(environment: environment))
        #expect(
            foundry.requestURL
                == "https://vigil-test.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview")
    }

    @Test(arguments: [
        ("VIGIL_NARRATIVE_ENDPOINT", "not a url", "VIGIL_NARRATIVE_ENDPOINT"),
        ("VIGIL_NARRATIVE_ENDPOINT", "http://vigil-test.openai.azure.com", "VIGIL_NARRATIVE_ENDPOINT"),
        ("VIGIL_NARRATIVE_ENDPOINT", "https://host/?key=1", "VIGIL_NARRATIVE_ENDPOINT"),
        ("VIGIL_NARRATIVE_STYLE", "openai", "VIGIL_NARRATIVE_STYLE"),
        ("VIGIL_NARRATIVE_DEPLOYMENT", "", "VIGIL_NARRATIVE_DEPLOYMENT"),
        ("VIGIL_NARRATIVE_DEPLOYMENT", "gpt/../admin", "VIGIL_NARRATIVE_DEPLOYMENT"),
        ("VIGIL_NARRATIVE_API_KEY", "", "VIGIL_NARRATIVE_API_KEY"),
        ("VIGIL_NARRATIVE_TIMEOUT_MS", "3s", "VIGIL_NARRATIVE_TIMEOUT_MS"),
        ("VIGIL_NARRATIVE_CALLS_PER_HOUR", "many", "VIGIL_NARRATIVE_CALLS_PER_HOUR"),
        ("VIGIL_NARRATIVE_BREAKER_FAILURES", "0", "VIGIL_NARRATIVE_BREAKER_FAILURES"),
        ("VIGIL_NARRATIVE_BREAKER_COOLDOWN_MS", "-1", "VIGIL_NARRATIVE_BREAKER_COOLDOWN_MS"),
        ("VIGIL_NARRATIVE_API_KEY_FILE", "/nonexistent/narrative-key", "VIGIL_NARRATIVE_API_KEY"),
    ])
    func invalidSettingsNameTheVariable(variable: String, value: String, named: String) {
        var environment = Self.minimal
        environment[variable] = value
        do {
            _ = try NarrativeConfiguration(environment: environment)
            Issue.record("\(variable)=\(value) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.variable == named)
            #expect(!error.description.contains(Self.key))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func keyComesFromAFileAndIsNeverPrinted() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("narrative-key-\(UUID().uuidString)")
            .path
        try Data("  \(Self.key)\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var environment = Self.minimal
        environment["VIGIL_NARRATIVE_API_KEY"] = nil
        environment["VIGIL_NARRATIVE_API_KEY_FILE"] = path
        let configuration = try #require(try NarrativeConfiguration(environment: environment))
        #expect(configuration.apiKey.value == Self.key)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [
            String(describing: configuration), String(reflecting: configuration), dumped, "\(configuration.apiKey)",
        ] {
            #expect(!text.contains(Self.key))
            #expect(!text.contains("never-printed"))
        }
        #expect(String(describing: configuration).contains("<redacted>"))
    }

    // MARK: Against a local server

    @Test func successSendsOnlyTheSummaryAndAttachesTheNarrative() async throws {
        let logs = LogCapture()
        let reply = "Respiratory rate and oxygen saturation drive a high NEWS2."
        try await FakeChatEndpoint.with(.content("  \(reply)\n")) { endpoint, port in
            try await NarrativeWriter.withLocal(port: port, ["VIGIL_NARRATIVE_MAX_TOKENS": "150"], logs: logs) {
                writer in
                let narrative = await narrative(writer)
                #expect(narrative.text == reply)
                #expect(narrative.aiGenerated)
                #expect(narrative.source == "foundation-model")
                #expect(narrative.deployment == "gpt-4o-mini")
                #expect(narrative.fallbackReason == nil)
                #expect(narrative.latencyMs != nil)
                #expect(
                    narrative.id == RiskNarrative.deriveID(riskRecordID: Self.canaryRecord, source: "foundation-model"))
                #expect(narrative.disclaimer == "AI-generated; not a diagnosis; does not affect alerting.")
            }
            let requests = endpoint.received
            try #require(requests.count == 1)
            let request = requests[0]
            #expect(request.path == "/openai/deployments/gpt-4o-mini/chat/completions")
            #expect(request.query == "api-version=2024-10-21")
            #expect(request.apiKey == Self.key)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
            let messages = try #require(json["messages"] as? [[String: String]])
            #expect(messages.map { $0["role"] } == ["system", "user"])
            #expect(messages[1]["content"] == Self.summary.promptText)
            #expect(messages[1]["content"]?.contains("NEWS2 8 (high)") == true)
            #expect(json["temperature"] as? Double == 0)
            #expect(json["max_tokens"] as? Int == 150)
            #expect(json["model"] == nil)
            for canary in [Self.canaryPatient.rawValue, Self.canaryRecord.rawValue, "p1.", "e1."] {
                #expect(!request.body.contains(canary))
            }
        }
        #expect(logs.text.contains("narrative written"))
        for secret in [Self.key, reply, "NEWS2 8", Self.canaryPatient.rawValue] { #expect(!logs.text.contains(secret)) }
    }

    @Test func foundryStyleNamesTheModelInTheBody() async throws {
        try await FakeChatEndpoint.with(.content("ok")) { endpoint, port in
            try await NarrativeWriter.withLocal(port: port, ["VIGIL_NARRATIVE_STYLE": "foundry"]) { writer in
                #expect(await narrative(writer).aiGenerated)
            }
            let request = try #require(endpoint.received.first)
            #expect(request.path == "/models/chat/completions")
            #expect(request.query == "api-version=2024-10-21")
            #expect(request.body.contains("\"model\":\"gpt-4o-mini\""))
        }
    }

    @Test func timeoutFallsBackWithinAboutTheDeadline() async throws {
        try await FakeChatEndpoint.with(.hang) { endpoint, port in
            try await NarrativeWriter.withLocal(port: port, ["VIGIL_NARRATIVE_TIMEOUT_MS": "300"]) { writer in
                let start = ContinuousClock.now
                let narrative = await narrative(writer)
                #expect(ContinuousClock.now - start < .seconds(2))
                expectFallback(narrative, .timeout)
                #expect(narrative.latencyMs != nil)
            }
            #expect(endpoint.received.count == 1)
        }
    }

    @Test func rateLimitOpensTheCircuitUntilRetryAfter() async throws {
        let clock = ManualClock()
        let logs = LogCapture()
        try await FakeChatEndpoint.with(.status(429, headers: ["Retry-After": "30"])) { endpoint, port in
            try await NarrativeWriter.withLocal(port: port, clock: clock, logs: logs) { writer in
                expectFallback(await narrative(writer), .http429)
                expectFallback(await narrative(writer), .circuitOpen)
                clock.advance(.seconds(29))
                expectFallback(await narrative(writer), .circuitOpen)
                #expect(endpoint.received.count == 1, "no request while the circuit is open")
                clock.advance(.seconds(2))
                endpoint.reply(with: .content("recovered"))
                #expect(await narrative(writer).text == "recovered")
                #expect(writer.breaker.current == .closed(failures: 0))
            }
            #expect(endpoint.received.count == 2)
        }
        #expect(logs.text.contains("http_status status=429"))
        #expect(!logs.text.contains("SECRET-ERROR-TEXT") && !logs.text.contains(Self.key))
    }

    @Test func serverErrorsFallBackAndRepeatedFailuresOpenTheCircuit() async throws {
        let clock = ManualClock()
        let settings = ["VIGIL_NARRATIVE_BREAKER_FAILURES": "3", "VIGIL_NARRATIVE_BREAKER_COOLDOWN_MS": "60000"]
        try await FakeChatEndpoint.with(.status(500)) { endpoint, port in
            try await NarrativeWriter.withLocal(port: port, settings, clock: clock) { writer in
                for _ in 0..<3 { expectFallback(await narrative(writer), .http5xx) }
                expectFallback(await narrative(writer), .circuitOpen)
                #expect(endpoint.received.count == 3)
                clock.advance(.seconds(61))
                expectFallback(await narrative(writer), .http5xx)  // the half-open probe fails
                expectFallback(await narrative(writer), .circuitOpen)
                #expect(endpoint.received.count == 4)
            }
        }
    }

    @Test func clientErrorsFallBackWithoutTheirBody() async throws {
        try await FakeChatEndpoint.with(.status(401)) { _, port in
            try await NarrativeWriter.withLocal(port: port) { writer in
                expectFallback(await narrative(writer), .http4xx)
            }
        }
    }

    @Test(arguments: [
        "not json at all", "{\"choices\":[]}", "{\"choices\":[{\"message\":{\"content\":\"  \"}}]}",
        "{\"choices\":[{\"message\":{}}]}", "{\"error\":\"no\"}", "[1,2]",
        "{\"choices\":[{\"finish_reason\":\"content_filter\",\"message\":{\"content\":\"Partial\"}}]}",
    ])
    func malformedRepliesFallBack(body: String) async throws {
        try await FakeChatEndpoint.with(.body(body)) { endpoint, port in
            try await NarrativeWriter.withLocal(port: port) { writer in
                expectFallback(await narrative(writer), .malformed)
            }
            #expect(endpoint.received.count == 1)
        }
    }

    @Test func overlongReplyFallsBack() async throws {
        try await FakeChatEndpoint.with(.content(String(repeating: "long ", count: 801))) { _, port in
            try await NarrativeWriter.withLocal(port: port) { writer in
                expectFallback(await narrative(writer), .malformed)
            }
        }
    }

    @Test func spentBudgetSendsNothing() async throws {
        let clock = ManualClock()
        try await FakeChatEndpoint.with(.content("fine")) { endpoint, port in
            try await NarrativeWriter.withLocal(port: port, ["VIGIL_NARRATIVE_CALLS_PER_HOUR": "2"], clock: clock) {
                writer in
                #expect(await narrative(writer).aiGenerated)
                clock.advance(.seconds(1800))
                #expect(await narrative(writer).aiGenerated)
                expectFallback(await narrative(writer), .budget)
                #expect(endpoint.received.count == 2)
                clock.advance(.seconds(1801))  // the first call has left the rolling hour, the second has not
                #expect(await narrative(writer).aiGenerated)
                expectFallback(await narrative(writer), .budget)
                #expect(writer.breaker.current == .closed(failures: 0), "budget refusals are not endpoint failures")
            }
            #expect(endpoint.received.count == 3)
        }
    }

    @Test func unreachableEndpointIsATransportFallback() async throws {
        // Bind a port, then stop the server, so nothing listens there.
        var closedPort = 0
        try await FakeChatEndpoint.with(.content("x")) { _, port in closedPort = port }
        try await NarrativeWriter.withLocal(port: closedPort, ["VIGIL_NARRATIVE_TIMEOUT_MS": "500"]) { writer in
            let start = ContinuousClock.now
            expectFallback(await narrative(writer), .transport)
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }
}
