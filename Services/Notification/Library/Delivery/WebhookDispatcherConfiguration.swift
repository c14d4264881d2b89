/// How the dispatcher sends. The service's `main` builds this from the environment; the library never reads it.
public struct WebhookDispatcherConfiguration: Sendable {
    public var retry: RetrySchedule
    public var breaker: CircuitBreaker.Policy
    /// The whole attempt, connect and response included. Default 10 s.
    public var timeout: Duration
    /// Default 2 s (never more than `timeout`).
    public var connectTimeout: Duration
    /// A claimed delivery is left alone by other claimers this long; longer than `timeout`. Default 30 s.
    public var lease: Duration
    /// In flight per subscription, so a slow receiver fills only its own slots. Default 4.
    public var perSubscription: Int
    /// In flight in all. Default 64.
    public var total: Int
    /// The most deliveries one claim leases. A subscription claims ahead by what it finished lately, so a fast
    /// receiver is not kept waiting on claims while a slow one holds little beyond its slots. Default 500.
    public var claimLimit: Int
    /// How often due deliveries are looked for when nothing else wakes the dispatcher. Default 500 ms.
    public var pollInterval: Duration
    /// Lets plain http reach loopback hosts (dev and tests). Default false: https only.
    public var allowInsecureLoopback: Bool

    public init(
        retry: RetrySchedule = RetrySchedule(), breaker: CircuitBreaker.Policy = CircuitBreaker.Policy(),
        timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(2), lease: Duration = .seconds(30),
        perSubscription: Int = 4, total: Int = 64, claimLimit: Int = 500, pollInterval: Duration = .milliseconds(500),
        allowInsecureLoopback: Bool = false
    ) {
        precondition(timeout > .zero && lease > timeout, "the lease must outlast an attempt")
        precondition(perSubscription > 0 && total >= perSubscription, "concurrency out of range")
        precondition(claimLimit >= perSubscription, "a claim must fill a subscription's slots")
        self.retry = retry
        self.breaker = breaker
        self.timeout = timeout
        self.connectTimeout = min(connectTimeout, timeout)
        self.lease = lease
        self.perSubscription = perSubscription
        self.total = total
        self.claimLimit = claimLimit
        self.pollInterval = pollInterval
        self.allowInsecureLoopback = allowInsecureLoopback
    }
}
