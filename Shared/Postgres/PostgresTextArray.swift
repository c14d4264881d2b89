/// A `text[]` parameter, written as an array literal with every element quoted, so batches can be passed
/// as one bound value (`unnest($1::text[])`) instead of building SQL.
public struct PostgresTextArray: PostgresEncodable {
    public var elements: [String?]

    public init(_ elements: [String?]) {
        self.elements = elements
    }

    public init(_ elements: [String]) {
        self.elements = elements.map { $0 }
    }

    public static var postgresDataType: PostgresDataType { .unknown }

    public var postgresText: String? {
        "{" + elements.map { element in
            guard let element else { return "NULL" }
            var quoted = "\""
            for character in element {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }.joined(separator: ",") + "}"
    }
}
