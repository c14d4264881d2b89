import Foundation
import Ingestion
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing
import VigilHL7

/// Acknowledges every parsable frame with AA and everything else with AE, like the ingest handler's
/// contract, without a broker.
private struct AcceptingHandler: HL7FrameHandler {
    func handle(_ frames: [[UInt8]]) async -> [[UInt8]] {
        frames.map { frame in
            guard let message = try? HL7Message(parsing: frame) else {
                return HL7Ack.build(replyingTo: frame, code: .applicationError, controlID: "ACK")
            }
            return HL7Ack.build(replyingTo: message.header, code: .applicationAccept, controlID: "ACK")
        }
    }
}

@Suite struct MLLPServerTests {
    static func message(_ id: Int) -> [UInt8] {
        Array("MSH|^~\\&|LAB|HOSP|VIGIL|VIGIL|20240101120000||ORU^R01|CTRL\(id)|P|2.5\rPID|1||123\r".utf8)
    }

    func withServer(maxBytes: Int = 1 << 20, _ body: @Sendable (Int) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let server = MLLPServer(
            configuration: MLLPConfiguration(port: 0, maxMessageBytes: maxBytes), handler: AcceptingHandler(),
            logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while server.localPort == nil { try await Task.sleep(for: .milliseconds(10)) }
            try await body(server.localPort!)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func manyConnectionsGetOneAckPerMessageInOrder() async throws {
        try await withServer { port in
            try await withThrowingTaskGroup(of: Void.self) { clients in
                for connection in 0..<8 {
                    clients.addTask {
                        let ids = (0..<250).map { connection * 1000 + $0 }
                        let acks = try await MLLPClient.send(port: port, messages: ids.map(Self.message))
                        #expect(acks.count == ids.count)
                        for (id, ack) in zip(ids, acks) {
                            let parsed = try HL7Message(parsing: ack)
                            #expect(parsed.msa?.acknowledgmentCode == "AA")
                            #expect(parsed.msa?.controlID == "CTRL\(id)", "MSA-2 echoes the original control id")
                        }
                    }
                }
                try await clients.waitForAll()
            }
        }
    }

    @Test func oversizeAndUnparsableMessagesAreRejectedInPlace() async throws {
        try await withServer(maxBytes: 200) { port in
            let big = Array("MSH|^~\\&|A|B|C|D|20240101||ORU^R01|BIG|P|2.5\rOBX|1|TX|||\(String(repeating: "x", count: 500))\r".utf8)
            let garbage = Array("this is not HL7".utf8)
            let acks = try await MLLPClient.send(port: port, messages: [Self.message(1), big, garbage, Self.message(2)])
            let codes = try acks.map { try HL7Message(parsing: $0).msa?.acknowledgmentCode }
            #expect(codes == ["AA", "AR", "AE", "AA"])
            let rejected = try HL7Message(parsing: acks[1])
            #expect(rejected.firstSegment("ERR") != nil, "AR carries an ERR segment")
        }
    }
}
