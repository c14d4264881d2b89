import Testing

@testable import VigilModelCore

@Suite struct Base32Tests {
    /// RFC 4648 §10 test vectors, lower-cased and without padding.
    @Test(arguments: [
        ("", ""), ("f", "my"), ("fo", "mzxq"), ("foo", "mzxw6"), ("foob", "mzxw6yq"), ("fooba", "mzxw6ytb"),
        ("foobar", "mzxw6ytboi"),
    ])
    func matchesRFC4648Vectors(input: String, expected: String) {
        #expect(Base32.encode(Array(input.utf8)) == expected)
        #expect(Base32.decode(expected) == Array(input.utf8))
    }

    @Test func rejectsNonCanonicalSpellings() {
        #expect(Base32.decode("MZXW6") == nil)  // upper case
        #expect(Base32.decode("mzxw6===") == nil)  // padding
        #expect(Base32.decode("mz") == nil)  // non-zero trailing bits ("my" is canonical for "f")
        #expect(Base32.decode("m") == nil)  // dangling character
        #expect(Base32.decode("mzx1") == nil)  // '1' is not in the alphabet
    }
}
