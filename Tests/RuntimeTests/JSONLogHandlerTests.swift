import Foundation
import Logging
import Synchronization
import Testing
import VigilRuntime

@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let value = Mutex<[String]>([])
    }

    @Test func writesOneParsableJSONObjectPerLine() throws {
        let lines = Lines()
        let output = LogOutput { line in lines.value.withLock { $0.append(line) } }
        var logger = Logger(label: "vigil.test") { JSONLogHandler(label: $0, output: output) }
        logger[metadataKey: "service"] = "ingest"
        logger.info("stage \"started\"\nnext line", metadata: ["kafka.topic": "clinical.events.v1"])
        let written = lines.value.withLock { $0 }
        #expect(written.count == 1)
        #expect(written[0].hasSuffix("}\n"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: String])
        #expect(object["message"] == "stage \"started\"\nnext line")
        #expect(object["level"] == "info")
        #expect(object["logger"] == "vigil.test")
        #expect(object["service"] == "ingest")
        #expect(object["kafka.topic"] == "clinical.events.v1")
        #expect(object["time"] != nil)
    }

    @Test func respectsLogLevel() {
        let lines = Lines()
        let output = LogOutput { line in lines.value.withLock { $0.append(line) } }
        var logger = Logger(label: "t") { JSONLogHandler(label: $0, output: output) }
        logger.logLevel = .warning
        logger.info("hidden")
        logger.error("shown")
        #expect(lines.value.withLock { $0.count } == 1)
    }
}
