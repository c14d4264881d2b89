// swift-tools-version: 6.2
import PackageDescription

// Swift code links Debian's librdkafka headers/symbols but must load the newer librdkafka from the
// confluent-kafka wheel at run time (Debian's 2.0 cannot talk to the dev broker). infra/dev/up.sh
// links that library into .vigil/lib; the rpath below finds it first. Elsewhere LD_LIBRARY_PATH wins.
let localLib = "\(Context.packageDirectory)/.vigil/lib"
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]
let kafkaLink: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "-rpath", "-Xlinker", localLib])]

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let collections = Target.Dependency.product(name: "DequeModule", package: "swift-collections")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let yams = Target.Dependency.product(name: "Yams", package: "Yams")
let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")
let argParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let asyncHTTPClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")

func service(
    _ name: String, exe: String, extra: [Target.Dependency] = [], resources: [Resource]? = nil
) -> [Target] {
    [
        .target(
            name: name,
            dependencies: ["VigilRuntime", "VigilKafka", "VigilPostgres", "VigilModelCore", "VigilAudit"] + extra,
            path: "Services/\(name)/Library", resources: resources, swiftSettings: strict),
        .executableTarget(
            name: exe, dependencies: [.target(name: name), "VigilRuntime"], path: "Services/\(name)/Main",
            swiftSettings: strict, linkerSettings: kafkaLink),
    ]
}

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .executable(name: "vigil-ingest", targets: ["vigil-ingest"]),
        .executable(name: "vigil-deid", targets: ["vigil-deid"]),
        .executable(name: "vigil-infer", targets: ["vigil-infer"]),
        .executable(name: "vigil-notify", targets: ["vigil-notify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Latency percentiles in the end-to-end bench only.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CRdKafka", path: "Shared/CRdKafka", pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(
            name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(
            name: "VigilKafka", dependencies: ["CRdKafka", log, metrics, lifecycle, collections],
            path: "Shared/Kafka", swiftSettings: strict, linkerSettings: kafkaLink),
        .target(
            name: "VigilPostgres", dependencies: ["CLibPQ", log, nioPosix],
            path: "Shared/Postgres", swiftSettings: strict),
        .target(name: "VigilModelCore", dependencies: [crypto], path: "Shared/ModelCore", swiftSettings: strict),
        .target(name: "VigilHL7", path: "Shared/HL7", swiftSettings: strict),
        .target(name: "VigilPHI", dependencies: ["VigilModelCore"], path: "Shared/PHI", swiftSettings: strict),
        .target(
            name: "VigilAudit", dependencies: ["VigilPostgres", crypto, log],
            path: "Shared/Audit", swiftSettings: strict),
        .target(
            name: "VigilRuntime",
            dependencies: [
                "VigilKafka", "VigilPostgres", "VigilAudit", "VigilModelCore", log, metrics, lifecycle, nioPosix, nioCore,
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Shared/Runtime", swiftSettings: strict),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilRuntime", "VigilKafka", "VigilPostgres", "VigilAudit", "VigilModelCore", "Ingestion", "VigilHL7", "Inference", "Notification",
                "DeidScrubber", "Evidence", argParser,
            ],
            path: "Services/CLI", swiftSettings: strict, linkerSettings: kafkaLink),
        // The evidence pack (`vigil evidence export`) reads the audit, infer and notify schemas: the CLI's, not a service's.
        .target(
            name: "Evidence", dependencies: ["VigilPostgres", "VigilAudit", "VigilModelCore", "Notification"],
            path: "Services/Evidence", swiftSettings: strict),
        .executableTarget(
            name: "vigil-bench",
            dependencies: [
                "VigilKafka", "VigilHL7", "VigilPostgres", "VigilModelCore", "VigilPHI", "Ingestion", "DeidScrubber",
                "Inference", "Notification", lifecycle, argParser, hummingbird, asyncHTTPClient,
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Benchmarks/KafkaBench", swiftSettings: strict, linkerSettings: kafkaLink),
        // `make fuzz` builds this with libFuzzer (-sanitize=fuzzer -DFUZZING); a normal build replays files.
        .executableTarget(
            name: "vigil-hl7-fuzz", dependencies: ["VigilHL7"], path: "Fuzz/HL7Fuzz", swiftSettings: strict),
        .testTarget(name: "ModelCoreTests", dependencies: ["VigilModelCore", "VigilPHI"], path: "Tests/ModelCoreTests"),
        .testTarget(name: "HL7Tests", dependencies: ["VigilHL7"], path: "Tests/HL7Tests"),
        .testTarget(name: "IngestionTests", dependencies: ["Ingestion", "VigilPHI", "VigilRuntime"], path: "Tests/IngestionTests"),
        .testTarget(name: "KafkaTests", dependencies: ["VigilKafka"], path: "Tests/KafkaTests"),
        .testTarget(name: "RuntimeTests", dependencies: ["VigilRuntime"], path: "Tests/RuntimeTests"),
        .testTarget(name: "AuditTests", dependencies: ["VigilAudit"], path: "Tests/AuditTests"),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "VigilKafka", "VigilPostgres", "VigilAudit", "VigilRuntime", "VigilModelCore", "Ingestion", "VigilHL7", "VigilPHI",
                "Deidentification", "Inference", "Notification", "Evidence",
                nioPosix, nioCore, lifecycle, hummingbird, crypto, .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Tests/IntegrationTests", linkerSettings: kafkaLink),
    ]
        // Only ingestion and de-identification may see identified types (the PHI boundary as a module rule).
        + service("Ingestion", exe: "vigil-ingest", extra: ["VigilPHI", "VigilHL7", nioPosix, nioCore, crypto, hummingbird])
        + service("Deidentification", exe: "vigil-deid", extra: ["VigilPHI", "DeidScrubber", crypto, hummingbird, .product(name: "Yams", package: "Yams")])
        + [
            // The free-text scrubber alone (no dependencies): the service, `vigil deid eval` and the bench share it.
            .target(
                name: "DeidScrubber", path: "Services/Deidentification/Scrubber", resources: [.copy("Resources")],
                swiftSettings: strict),
            .testTarget(name: "ScrubberTests", dependencies: ["DeidScrubber"], path: "Tests/ScrubberTests"),
            .testTarget(
                name: "DeidTests", dependencies: ["Deidentification", "VigilPHI", "VigilModelCore", "VigilRuntime"],
                path: "Tests/DeidTests"),
        ]
        // The optional narrative adapter calls a chat-completions endpoint over HTTPS.
        + service(
            "Inference", exe: "vigil-infer", extra: [.product(name: "AsyncHTTPClient", package: "async-http-client")],
            resources: [.copy("Resources")])
        // Notification sees only pseudonymised data: never VigilPHI (NotificationTests checks this line).
        + service(
            "Notification", exe: "vigil-notify", extra: [yams, crypto, asyncHTTPClient, hummingbird, mustache],
            resources: [.copy("Resources")])
        + [
            .testTarget(name: "InferenceTests", dependencies: ["Inference", hummingbird], path: "Tests/InferenceTests"),
            .testTarget(
                name: "NotificationTests", dependencies: ["Notification", "VigilModelCore"],
                path: "Tests/NotificationTests"),
        ]
)
