import Foundation
import Testing
import VigilPostgres

@Suite("PostgreSQL values and statements", .enabled(if: TestDatabase.isConfigured), .timeLimit(.minutes(2)))
struct PostgresRoundTripTests {
    static let createTable = """
        CREATE TABLE sample (
            id int8 PRIMARY KEY, small int4, name text, ratio float8, flag bool, at timestamptz,
            ref uuid, payload bytea)
        """

    @Test("every encodable type survives a round trip through a table")
    func typedRoundTrip() async throws {
        try await TestDatabase.withFresh { database in
            try await database.pool.execute(PostgresQuery(unsafeSQL: Self.createTable))
            let at = Date(timeIntervalSince1970: 1_714_571_110.123_456)
            let ref = UUID()
            let payload: [UInt8] = [0, 1, 0x7f, 0x80, 0xff, 0x5c, 0x27]
            let name = "Zoë 👩🏽‍⚕️ \"quoted\" \\ back\nslash ✓"
            let inserted = try await database.pool.execute(
                """
                INSERT INTO sample VALUES (\(Int64.max), \(Int32.min), \(name), \(-1.5e-300), \(true), \(at), \
                \(ref), \(payload))
                """)
            #expect(inserted == 1)
            let rows = try await database.pool.query(
                "SELECT id, small, name, ratio, flag, at, ref, payload FROM sample WHERE id = \(Int64.max)")
            let (id, small, text, ratio, flag, time, uuid, bytes) = try #require(rows.first).decode(
                (Int64, Int32, String, Double, Bool, Date, UUID, [UInt8]).self)
            #expect(id == Int64.max)
            #expect(small == Int32.min)
            #expect(text == name)
            #expect(ratio == -1.5e-300)
            #expect(flag)
            #expect(time == at)
            #expect(uuid == ref)
            #expect(bytes == payload)
        }
    }

    @Test("nil binds NULL and NULL decodes as nil for every type")
    func nulls() async throws {
        try await TestDatabase.withFresh { database in
            try await database.pool.execute(PostgresQuery(unsafeSQL: Self.createTable))
            let none: (Int32?, String?, Double?, Bool?, Date?, UUID?, [UInt8]?) = (nil, nil, nil, nil, nil, nil, nil)
            try await database.pool.execute(
                """
                INSERT INTO sample VALUES (\(1), \(none.0), \(none.1), \(none.2), \(none.3), \(none.4), \
                \(none.5), \(none.6))
                """)
            let row = try #require(try await database.pool.query("SELECT * FROM sample").first)
            let values = try row.decode((Int, Int32?, String?, Double?, Bool?, Date?, UUID?, [UInt8]?).self)
            #expect(values.0 == 1)
            #expect(values.1 == nil && values.2 == nil && values.3 == nil && values.4 == nil)
            #expect(values.5 == nil && values.6 == nil && values.7 == nil)
            #expect(row[1].isNull)
            let error = #expect(throws: PostgresError.self) { try row.decode(String.self, column: "name") }
            #expect(error?.code == .decoding)
            #expect(error?.column == "name")
        }
    }

    @Test("values come back from untyped SELECTs with their bound types")
    func selectParameters() async throws {
        try await TestDatabase.withFresh { database in
            let dates = [
                Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1_234_567_890.000_001),
                Date(timeIntervalSince1970: 4_102_444_800.999_999),
            ]
            for date in dates {
                let row = try #require(try await database.pool.query("SELECT \(date), \(date)::text").first)
                #expect(try row.decode(Date.self) == date)
                #expect(try row.decode(String.self, at: 1).hasSuffix("+00"))
            }
            for value in [0.1, -0.0, .infinity, -.infinity, 1e308, .leastNonzeroMagnitude] {
                let row = try #require(try await database.pool.query("SELECT \(value)").first)
                #expect(try row.decode(Double.self) == value)
            }
            let nan = try #require(try await database.pool.query("SELECT \(Double.nan)").first)
            #expect(try nan.decode(Double.self).isNaN)
            let row = try #require(
                try await database.pool.query("SELECT \(42) AS answer, \(false) AS no, \([UInt8]()) AS empty").first)
            #expect(row.columns.map(\.name) == ["answer", "no", "empty"])
            #expect(row.columns.map(\.dataType) == [.int8, .bool, .bytea])
            #expect(try row.decode(Int.self, column: "answer") == 42)
            #expect(try row.decode(Bool.self, column: "no") == false)
            #expect(try row.decode([UInt8].self, column: "empty") == [])
            let sum = try #require(try await database.pool.query("SELECT sum(x) FROM generate_series(1, 10) x").first)
            #expect(try sum.decode(Int.self) == 55, "numeric holding a whole number decodes as Int")
        }
    }

    @Test("a value that looks like SQL is stored verbatim")
    func parameterization() async throws {
        try await TestDatabase.withFresh { database in
            try await database.pool.execute("CREATE TABLE students (name text)")
            let hostile = "Robert'); DROP TABLE students; --"
            try await database.pool.execute("INSERT INTO students (name) VALUES (\(hostile))")
            let rows = try await database.pool.query("SELECT name FROM students WHERE name = \(hostile)")
            #expect(rows.count == 1)
            #expect(try rows.first?.decode(String.self) == hostile)
            let query: PostgresQuery = "SELECT \(hostile) || \(1)::text"
            #expect(query.sql == "SELECT $1 || $2::text")
            #expect(query.bindings.count == 2)
            #expect("\(query)".contains("Robert") == false, "a query's description is its SQL only")
        }
    }

    @Test("identifiers are quoted, unescaped fragments are inserted as written")
    func identifiers() async throws {
        try await TestDatabase.withFresh { database in
            let table = "odd \"name\""
            try await database.pool.execute("CREATE TABLE \(identifier: table) (\(unescaped: "id int"))")
            try await database.pool.execute("INSERT INTO \(identifier: table) VALUES (\(Int32(7)))")
            let rows = try await database.pool.query("SELECT id FROM \(identifier: table)")
            #expect(try rows.first?.decode(Int32.self) == 7)
        }
    }

    @Test("errors carry the primary message and SQLSTATE, never DETAIL or values")
    func safeErrors() async throws {
        try await TestDatabase.withFresh { database in
            try await database.pool.execute("CREATE TABLE patients (mrn text PRIMARY KEY)")
            try await database.pool.execute("INSERT INTO patients VALUES (\("MRN-0042-SECRET"))")
            let duplicate = await #expect(throws: PostgresError.self) {
                try await database.pool.execute("INSERT INTO patients VALUES (\("MRN-0042-SECRET"))")
            }
            #expect(duplicate?.code == .queryFailed)
            #expect(duplicate?.sqlState == "23505")
            #expect(duplicate?.description.contains("patients_pkey") == true)
            #expect(duplicate?.description.contains("MRN-0042") == false)

            let badInput = await #expect(throws: PostgresError.self) {
                try await database.pool.query("SELECT \("Jane Doe")::int")
            }
            #expect(badInput?.sqlState == "22P02")
            #expect(badInput?.description.contains("Jane") == false)

            let decoding = await #expect(throws: PostgresError.self) {
                try await database.pool.query("SELECT mrn FROM patients").first?.decode(Int.self)
            }
            #expect(decoding?.code == .decoding)
            #expect(decoding?.column == "mrn")
            #expect(decoding?.description.contains("MRN-0042") == false)

            let nul = await #expect(throws: PostgresError.self) {
                try await database.pool.execute("INSERT INTO patients VALUES (\("a\u{0}b"))")
            }
            #expect(nul?.code == .invalidParameter)
        }
    }

    @Test("affected rows are counted; simpleExecute runs several statements")
    func counts() async throws {
        try await TestDatabase.withFresh { database in
            try await database.pool.withConnection { connection in
                try await connection.simpleExecute("CREATE TABLE t (x int); INSERT INTO t SELECT generate_series(1, 5)")
                #expect(try await connection.execute("UPDATE t SET x = x + 1 WHERE x > \(2)") == 3)
                #expect(try await connection.execute("DELETE FROM t") == 5)
                #expect(try await connection.query("SELECT * FROM t").isEmpty)
            }
        }
    }
}
