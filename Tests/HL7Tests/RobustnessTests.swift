import Foundation
import Testing
import VigilHL7

/// Random mutations of real messages (fixed seed): whatever the bytes, parsing ends with a message or an
/// `HL7ParseError`, and everything reachable from a parsed message can be read. A crash fails the run.
@Suite(.timeLimit(.minutes(2))) struct RobustnessTests {
    static let interesting: [UInt8] = [
        0x7C, 0x5E, 0x7E, 0x5C, 0x26, 0x23, 0x0D, 0x0A, 0x00, 0x0B, 0x1C, 0x22, 0xFF, 0xC3, 0xE2, 0x80, 0x20,
    ]
    static let fragments: [[UInt8]] = [
        "\\X", "\\XE", "\\.sp999999999\\", "\\H\\", "\\", "\\C2842\\", "\"\"", "\rMSH|^~\\&|\r", "\rBHS|^~\\&\r",
        "\rBTS|1\r", "\rFTS\r", "~~~", "^^^&&&", "\r\n\r\n", "\u{FEFF}", "|||||||||||||||||||||8859/1",
        "|||||||||||||||||ISO IR87", "20240101+2500",
    ].map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<(Int(rng.next() % 4) + 1) {
            guard !bytes.isEmpty else { return Array(fragments[Int(rng.next() % UInt64(fragments.count))]) }
            let at = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 8 {
            case 0: bytes[at] ^= UInt8(1 << (rng.next() % 8))
            case 1: bytes[at] = interesting[Int(rng.next() % UInt64(interesting.count))]
            case 2: bytes.removeSubrange(at...)  // truncate
            case 3: bytes.insert(contentsOf: fragments[Int(rng.next() % UInt64(fragments.count))], at: at)
            case 4: bytes.insert(interesting[Int(rng.next() % 6)], at: at)  // a delimiter
            case 5:
                let end = min(bytes.count, at + Int(rng.next() % 64))
                bytes.removeSubrange(at..<end)
            case 6:
                let end = min(bytes.count, at + Int(rng.next() % 64))
                bytes.insert(contentsOf: bytes[at..<end], at: Int(rng.next() % UInt64(bytes.count)))
            default:
                // Hit the header: MSH-1/MSH-2 live in the first few bytes.
                let near = min(bytes.count - 1, Int(rng.next() % 10))
                bytes[near] = interesting[Int(rng.next() % UInt64(interesting.count))]
            }
        }
        return bytes
    }

    @Test func mutatedMessagesNeverCrash() throws {
        let seeds = try (HL7Fixtures.files(under: "ms/samples") + HL7Fixtures.edgeFiles).map(HL7Fixtures.bytes)
            .filter { $0.count < 20_000 }
        var rng = SplitMix64(seed: 0x5EED_2026)
        var parsed = 0
        var failed: [HL7ParseError.Code: Int] = [:]
        for _ in 0..<4000 {
            let input = Self.mutate(seeds[Int(rng.next() % UInt64(seeds.count))], &rng)
            do {
                let message = try HL7Message(parsing: input)
                parsed += 1
                EdgeCorpusTests.readEverything(message)
                Self.readTyped(message)
                _ = HL7Ack.build(replyingTo: message.header, code: .applicationAccept, controlID: "R")
            } catch {
                failed[error.code, default: 0] += 1
                #expect(!error.description.isEmpty)
            }
            if let batch = try? HL7Batch(parsing: input) { batch.messages.forEach(EdgeCorpusTests.readEverything) }
            _ = HL7Ack.build(replyingTo: input, code: .applicationError, controlID: "R")
            var decoder = MLLPDecoder(configuration: .init(maxFrameBytes: 512))
            decoder.append(input)
            while decoder.next() != nil {}
            _ = decoder.finish()
        }
        // Both paths are exercised.
        #expect(parsed > 500)
        #expect(failed.values.reduce(0, +) > 500)
    }

    static func readTyped(_ message: HL7Message) {
        let msh = message.header
        _ = (msh.dateTime, msh.messageType, msh.controlID, msh.characterSets, msh.sendingFacility.universalID)
        if let pid = message.pid {
            _ = (pid.identifiers.map(\.assigningAuthority.namespaceID), pid.names.map(\.familyName), pid.birthDate)
            _ = (pid.addresses.map(\.street), pid.homePhones.map(\.number), pid.accountNumber.id)
        }
        if let pv1 = message.pv1 {
            _ = (pv1.assignedLocation.bed, pv1.attendingDoctors.map(\.familyName), pv1.admitDateTime)
        }
        for obx in message.obx {
            _ = (obx.observationIdentifier.identifier, obx.values.map(\.string), obx.units.text, obx.abnormalFlags)
            _ = (obx.observationDateTime, HL7SN(obx.value).number2, obx.resultStatus)
        }
        for obr in message.obr { _ = (obr.universalServiceIdentifier.text, obr.observationDateTime) }
        for nte in message.nte { _ = nte.comments }
        _ = (message.evn?.recordedDateTime, message.msa?.controlID, message.err.map(\.userMessage))
    }
}
