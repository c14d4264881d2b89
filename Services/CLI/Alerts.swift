import ArgumentParser
import Foundation
import Logging
import VigilKafka
import VigilModelCore

/// `vigil alerts tail`: what vigil-notify publishes, as it happens, for operators.
struct Alerts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Watch the alert events vigil-notify publishes.", subcommands: [Tail.self])

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow clinical.alerts.v1 and print one line per alert event.",
            discussion: """
                A line is: time, action, severity, rule, patient pseudonym (shortened), model@version, page=yes|no, \
                reason=<code>. Each run reads as a new consumer group of its own, so it never takes partitions \
                from the services and commits nothing; it starts at the newest event unless --from-beginning. \
                A record that is not an alert event gets a line saying so (on stderr with --json) and is skipped. \
                Ctrl-C stops.
                """)

        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Start at the oldest event still on the topic instead of the newest.") var fromBeginning = false
        @Option(help: "Only events of this severity or higher (info, low, medium, high, critical).")
        var severity: AlertEvent.Severity?
        @Flag(help: "Print each event as its CloudEvent JSON (structured mode), one per line.") var json = false
        @Option(help: "Exit after printing N events.") var limit: Int?
        @Option(help: "Resume as this consumer group, committing what was printed (not a service's vigil-… group).")
        var group: String?
        @Option(help: "The topic to follow.") var topic = Topics.alerts

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
            if let group, group.hasPrefix("vigil-") {
                throw ValidationError("--group \(group): vigil-… groups belong to the services; choose another name")
            }
        }

        func run() async throws {
            let consumer = try await subscribe()
            let signals = [SIGINT, SIGTERM].map { number in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { consumer.stopReading() }
                source.resume()
                return source
            }
            var shown = 0
            reading: for await batch in consumer.batches {
                for message in batch {
                    if show(AlertLine(message), message) { shown += 1 }
                    if group != nil {
                        consumer.store(
                            TopicPartition(topic: message.topic, partition: message.partition),
                            offset: message.offset + 1)
                    }
                    if let limit, shown >= limit { break reading }
                }
            }
            await consumer.close()
            for source in signals { source.cancel() }
        }

        /// Prints the record if it passes the filter; true when an event was printed.
        func show(_ line: AlertLine, _ message: KafkaMessage) -> Bool {
            switch line {
            case .undecodable(let why):
                let text = AlertLine.undecodableText(message, why: why)
                (json ? FileHandle.standardError : FileHandle.standardOutput).write(Data((text + "\n").utf8))
                return false
            case .alert(let event, let envelope):
                if let severity, event.severity < severity { return false }
                // Written straight away, unbuffered, so `| grep` shows events as they come.
                if json, let bytes = try? envelope.structuredJSON() {
                    FileHandle.standardOutput.write(Data(bytes + [UInt8(ascii: "\n")]))
                } else {
                    FileHandle.standardOutput.write(Data((AlertLine.text(event) + "\n").utf8))
                }
                return true
            }
        }

        /// A consumer in a group of its own (or --group), after checking the broker and topic are there.
        func subscribe() async throws -> KafkaConsumer {
            var kafka = try connection.kafka()
            // librdkafka logs each failed connection attempt; the one error below says it better (--verbose shows them).
            var logger = connection.logger
            if !connection.verbose { logger.logLevel = .critical }
            let topics: [String]
            do {
                topics = try await KafkaAdmin(configuration: kafka, logger: logger).listTopics()
            } catch {
                throw CLIFailure(
                    "cannot reach the broker at \(kafka.brokers): \(error)\nStart it (`make up`) or set VIGIL_KAFKA_BROKERS / --brokers."
                )
            }
            guard topics.contains(topic) else {
                throw CLIFailure(
                    "topic \(topic) does not exist yet on \(kafka.brokers): start the services (`make run`) or give --topic"
                )
            }
            // Where a group without committed offsets starts.
            kafka.consumerOptions["auto.offset.reset"] = fromBeginning ? "earliest" : "latest"
            let name = group ?? "vigil-cli-tail-\(UUID().uuidString.prefix(8).lowercased())"
            return try KafkaConsumer(
                configuration: ConsumerConfiguration(kafka: kafka, groupID: name, topics: [topic]), logger: logger)
        }
    }
}

// The severity names are the option's values.
extension AlertEvent.Severity: ExpressibleByArgument {}
