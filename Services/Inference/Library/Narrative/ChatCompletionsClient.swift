import AsyncHTTPClient
import Foundation
import NIOCore

/// One OpenAI-compatible chat-completions call (Azure OpenAI or Azure AI Foundry) with a hard deadline.
///
/// Owns its `HTTPClient`: call `shutdown()` once when done (the writer does, as a `Service`).
public struct ChatCompletionsClient: Sendable {
    public let configuration: NarrativeConfiguration
    let http: HTTPClient

    /// Replies are a few hundred tokens; anything far bigger is not a completion we asked for.
    static let maximumBody = 65_536
    static let maximumText = 4000
    static let backstopGrace = Duration.milliseconds(50)

    public init(configuration: NarrativeConfiguration) {
        var settings = HTTPClient.Configuration()
        // A redirect would carry the api-key header to a host nobody configured.
        settings.redirectConfiguration = .disallow
        settings.timeout = .init(connect: TimeAmount(configuration.timeout), read: TimeAmount(configuration.timeout))
        self.configuration = configuration
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
    }

    public func shutdown() async throws { try await http.shutdown() }

    /// The first choice's message content, within `configuration.timeout` from now.
    public func complete(system: String, user: String) async throws(ChatCompletionsError) -> String {
        let request = makeRequest(system: system, user: user)
        let timeout = configuration.timeout
        do {
            return try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask { try await self.send(request, deadline: .now() + TimeAmount(timeout)) }
                // A backstop just after the client's own deadline, which reports unreachable hosts better.
                group.addTask {
                    try await Task.sleep(for: timeout + Self.backstopGrace)
                    throw ChatCompletionsError(.timeout)
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as ChatCompletionsError {
            throw error
        } catch {
            throw ChatCompletionsError(classifying: error)
        }
    }

    func makeRequest(system: String, user: String) -> HTTPClientRequest {
        let body = ChatRequest(
            messages: [.init(role: "system", content: system), .init(role: "user", content: user)], temperature: 0,
            maxTokens: configuration.maxTokens, model: configuration.style == .foundry ? configuration.deployment : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var request = HTTPClientRequest(url: configuration.requestURL)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: "application/json")
        request.headers.add(name: "api-key", value: configuration.apiKey.value)
        // Encoding strings and numbers cannot fail.
        request.body = .bytes(ByteBuffer(bytes: (try? encoder.encode(body)) ?? Data()))
        return request
    }

    func send(_ request: HTTPClientRequest, deadline: NIODeadline) async throws -> String {
        let response = try await http.execute(request, deadline: deadline)
        guard (200..<300).contains(response.status.code) else {
            throw ChatCompletionsError(
                .httpStatus, status: Int(response.status.code), retryAfter: RetryAfter.parse(response.headers))
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: Self.maximumBody)
        } catch is NIOTooManyBytesError {
            throw ChatCompletionsError(.malformedBody, detail: "body too large")
        }
        return try Self.content(of: Array(body.readableBytesView))
    }

    /// `choices[0].message.content`: non-empty after trimming, at most `maximumText` characters, and not
    /// cut by the content filter (a partial text could mislead).
    static func content(of body: [UInt8]) throws(ChatCompletionsError) -> String {
        guard let reply = try? JSONDecoder().decode(ChatResponse.self, from: Data(body)),
            let choice = reply.choices.first
        else { throw ChatCompletionsError(.malformedBody, detail: "not a chat completion") }
        guard choice.finishReason != "content_filter" else {
            throw ChatCompletionsError(.malformedBody, detail: "content filtered")
        }
        let text = choice.message.content?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !text.isEmpty, text.count <= maximumText else {
            throw ChatCompletionsError(.malformedBody, detail: "no usable message content")
        }
        return text
    }
}

struct ChatRequest: Encodable {
    struct Message: Encodable {
        var role: String
        var content: String
    }

    var messages: [Message]
    var temperature: Double
    var maxTokens: Int
    /// Foundry's model-inference route names the model here; Azure OpenAI names it in the path.
    var model: String?

    enum CodingKeys: String, CodingKey {
        case messages, temperature, model
        case maxTokens = "max_tokens"
    }
}

struct ChatResponse: Decodable {
    struct Choice: Decodable {
        struct Message: Decodable { var content: String? }
        var message: Message
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case message
            case finishReason = "finish_reason"
        }
    }

    var choices: [Choice]
}
