import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import VigilModelCore

/// Asks a foundation model for a short narrative of a de-identified `PatientSummary`, within a strict
/// deadline, a circuit breaker and an hourly call budget; on any failure returns the deterministic
/// fallback text instead. Never throws, and nothing that decides whether to alert waits for it.
///
/// As a `Service` it shuts its HTTP client down on graceful shutdown; otherwise call `shutdown()`.
public final class NarrativeWriter: Service, Sendable {
    public static let modelSource = "foundation-model"
    public static let fallbackSource = "fallback"

    public let configuration: NarrativeConfiguration
    public let breaker: CircuitBreaker
    public let budget: CallBudget
    let client: ChatCompletionsClient
    let logger: Logger
    private let isShutDown = Mutex(false)

    /// `now` drives the breaker and the budget (tests move it); deadlines use the real clock.
    public init(
        configuration: NarrativeConfiguration, logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.configuration = configuration
        self.logger = logger
        breaker = CircuitBreaker(
            failureThreshold: configuration.breakerFailures, coolDown: configuration.breakerCoolDown, now: now)
        budget = CallBudget(perHour: configuration.callsPerHour, now: now)
        client = ChatCompletionsClient(configuration: configuration)
    }

    /// A writer when `VIGIL_NARRATIVE_ENDPOINT` is set, nil when the adapter is off.
    /// - Throws: `ConfigurationError` naming the variable at fault.
    public static func make(
        environment: [String: String], logger: Logger = Logger(label: "vigil.infer.narrative")
    ) throws -> NarrativeWriter? {
        guard let configuration = try NarrativeConfiguration(environment: environment) else { return nil }
        return NarrativeWriter(configuration: configuration, logger: logger)
    }

    /// The model's narrative, or the fallback text with the reason the model was not used.
    public func narrative(
        for summary: PatientSummary, riskRecordID: EventID, patient: Pseudonym
    ) async -> RiskNarrative {
        func fallback(_ reason: NarrativeFallbackReason, after elapsed: Duration? = nil) -> RiskNarrative {
            Self.count(reason.rawValue, elapsed)
            var narrative = Self.fallback(for: summary, riskRecordID: riskRecordID, patient: patient, reason: reason)
            narrative.latencyMs = elapsed?.narrativeMilliseconds
            return narrative
        }
        guard breaker.acquire() else { return fallback(.circuitOpen) }
        guard budget.tryConsume() else {
            breaker.abandon()
            return fallback(.budget)
        }
        let start = ContinuousClock.now
        do {
            let text = try await client.complete(system: NarrativeText.systemPrompt, user: summary.promptText)
            let elapsed = ContinuousClock.now - start
            breaker.recordSuccess()
            Self.count("ok", elapsed)
            logger.debug("narrative written", metadata: ["narrative.latency_ms": "\(elapsed.narrativeMilliseconds)"])
            return RiskNarrative(
                riskRecordID: riskRecordID, patient: patient, text: text,
                aiGenerated: true, source: Self.modelSource, deployment: configuration.deployment,
                latencyMs: elapsed.narrativeMilliseconds, createdAt: Date())
        } catch {
            let elapsed = ContinuousClock.now - start
            record(error)
            logger.warning(
                "narrative call failed; using fallback text",
                metadata: ["narrative.error": "\(error)", "narrative.latency_ms": "\(elapsed.narrativeMilliseconds)"])
            return fallback(NarrativeFallbackReason(error), after: elapsed)
        }
    }

    /// Tells the breaker: our own cancellation says nothing about the endpoint; a 429 opens the circuit
    /// until its Retry-After (or for the cool-down without one).
    func record(_ error: ChatCompletionsError) {
        switch error.code {
        case .cancelled: breaker.abandon()
        case .httpStatus where error.status == 429:
            breaker.recordFailure(retryAfter: error.retryAfter ?? breaker.coolDown)
        default: breaker.recordFailure()
        }
    }

    /// The deterministic narrative, e.g. for callers without a writer (`reason: .disabled`).
    public static func fallback(
        for summary: PatientSummary, riskRecordID: EventID, patient: Pseudonym, reason: NarrativeFallbackReason
    ) -> RiskNarrative {
        RiskNarrative(
            riskRecordID: riskRecordID, patient: patient, text: NarrativeText.fallback(summary), aiGenerated: false,
            source: fallbackSource, fallbackReason: reason.rawValue, createdAt: Date())
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes the HTTP client; later narratives are fallbacks. Safe to call more than once.
    public func shutdown() async {
        let first = isShutDown.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        do {
            try await client.shutdown()
        } catch {
            logger.warning("narrative HTTP client shutdown failed", metadata: ["error.type": "\(type(of: error))"])
        }
    }

    /// `result` is `ok` or a fallback reason; the timer only times calls that were made.
    static func count(_ result: String, _ elapsed: Duration? = nil) {
        Counter(label: "vigil_infer_narrative_calls_total", dimensions: [("result", result)]).increment()
        if let elapsed {
            Timer(label: "vigil_infer_narrative_call_seconds", dimensions: [("result", result)])
                .recordNanoseconds(elapsed.nanoseconds)
        }
    }
}

extension Duration {
    fileprivate var narrativeMilliseconds: Double { Double(nanoseconds) / 1e6 }
}
