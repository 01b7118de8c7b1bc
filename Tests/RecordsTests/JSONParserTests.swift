// The strict JSON parser: what it keeps, what it refuses, and where it says the problem is.
import XCTest
@testable import Records

final class JSONParserTests: XCTestCase {
    func testKeepsIntegersApartFromDecimalsAndMemberOrder() throws {
        let v = try JSONParser.parse(bytes(#"{"z": 50, "a": 50.0, "m": 5e1, "big": 123456789012345678901234, "neg": -0}"#))
        guard case .object(let members) = v else { return XCTFail("not an object") }
        XCTAssertEqual(members.map(\.key), ["z", "a", "m", "big", "neg"])
        XCTAssertEqual(v["z"], .integer(50))
        XCTAssertEqual(v["a"], .number(50))
        XCTAssertEqual(v["m"], .number(50))
        guard case .number(let big)? = v["big"] else { return XCTFail("an integer too large for Int must become a number") }
        XCTAssertEqual(big, 1.2345678901234568e23)
        XCTAssertEqual(v["neg"], .integer(0))
    }

    func testDecodesEscapesAndSurrogatePairs() throws {
        let v = try JSONParser.parse(bytes(#"["a\"b\\c\/d\b\f\n\r\t", "\u7CA4A", "\uD83D\uDE8C", "粤"]"#))
        XCTAssertEqual(v, .array([.string("a\"b\\c/d\u{8}\u{C}\n\r\t"), .string("粤A"), .string("🚌"), .string("粤")]))
    }

    /// Each row: input, expected error text (line, column, message), as cel-go's tables do.
    func testRefusalsNameLineAndColumn() {
        let cases: [(String, [UInt8], String)] = [
            ("trailing garbage", bytes("{}\n}"), "line 2, column 1: unexpected '}' after the end of the document"),
            ("missing comma", bytes("{\n  \"a\": 1\n  \"b\": 2\n}"), "line 3, column 3: unexpected '\"', expected ',' or '}'"),
            ("duplicate key", bytes("{\"a\": 1,\n \"a\": 2}"),
             "line 2, column 2: duplicate key \"a\" (first at line 1, column 2)"),
            ("duplicate key written with an escape", bytes("{\"ab\": 1, \"a\\u0062\": 2}"),
             "line 1, column 11: duplicate key \"ab\" (first at line 1, column 2)"),
            ("duplicate key among 50", bytes("{" + (0..<50).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k0\": 0}"),
             "line 1, column 532: duplicate key \"k0\" (first at line 1, column 2)"),
            // Past 64 members the parser hashes names instead of comparing them; same answer.
            ("duplicate key in a large object",
             bytes("{" + (0..<70).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k3\": 0}"),
             "line 1, column 752: duplicate key \"k3\" (first at line 1, column 29)"),
            ("lone high surrogate", bytes(#"{"a": "x\uD800"}"#), "line 1, column 9: lone surrogate \\uD800 in string"),
            ("lone low surrogate", bytes(#"{"a": "\uDC00"}"#), "line 1, column 8: lone surrogate \\uDC00 in string"),
            ("high then non-low", bytes(#"["\uD800\u0041"]"#), "line 1, column 3: lone surrogate \\uD800 in string"),
            ("invalid UTF-8 after CJK", [0x5B, 0x22] + Array("粤".utf8) + [0xFF, 0x22, 0x5D],
             "line 1, column 4: invalid UTF-8 (byte 0xFF)"),
            ("overlong slash", [0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D], "line 1, column 3: invalid UTF-8 (byte 0xC0)"),
            ("UTF-8 surrogate", [0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D], "line 1, column 3: invalid UTF-8 sequence"),
            ("truncated sequence", [0x5B, 0x22, 0xE7, 0xB2], "line 1, column 3: invalid UTF-8 (truncated sequence)"),
            ("byte order mark", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D],
             "line 1, column 1: byte order mark at start of document (write UTF-8 without BOM)"),
            ("NaN", bytes("[NaN]"), "line 1, column 2: unexpected 'N', expected a value"),
            ("leading zero", bytes("[01]"), "line 1, column 2: invalid number: leading zero"),
            ("bare minus", bytes("[-]"), "line 1, column 2: invalid number: a digit must follow '-'"),
            ("huge exponent", bytes("[1e400]"), "line 1, column 2: number 1e400 is too large to represent"),
            ("control character", bytes("[\"a\tb\"]"), "line 1, column 4: control character U+0009 in string (escape it)"),
            ("bad escape", bytes(#"["\x"]"#), "line 1, column 3: invalid escape '\\x'"),
            ("single quotes", bytes("{'a': 1}"), "line 1, column 2: unexpected ''', expected a member name in double quotes"),
            ("trailing comma", bytes("[1,]"), "line 1, column 4: unexpected ']', expected a value"),
            ("empty", [], "line 1, column 1: unexpected end of input, expected a value"),
            ("unterminated", bytes("{\"a\": \"x"), "line 1, column 7: unterminated string"),
            ("bad literal", bytes("[tru]"), "line 1, column 2: invalid literal, expected 'true'"),
        ]
        for (name, input, expected) in cases {
            XCTAssertThrowsError(try JSONParser.parse(input), name) { error in
                XCTAssertEqual((error as? JSONParseError)?.description, expected, name)
            }
        }
    }

    func testDepthCap() throws {
        func nested(_ n: Int) -> [UInt8] { bytes(String(repeating: "[", count: n) + String(repeating: "]", count: n)) }
        XCTAssertNoThrow(try JSONParser.parse(nested(32)))
        XCTAssertThrowsError(try JSONParser.parse(nested(33))) { error in
            XCTAssertEqual((error as? JSONParseError)?.description, "line 1, column 33: nesting deeper than 32 levels")
        }
        // A hostile file of a million brackets is refused at the cap, not by exhausting the stack.
        XCTAssertThrowsError(try JSONParser.parse(nested(500_000)))
    }

    func testSizeCapIsCheckedBeforeParsing() {
        // Not even valid JSON: the size alone decides, so a huge hostile file costs no parsing.
        let big = [UInt8](repeating: 0xFF, count: JSONParser.defaultMaxBytes + 1)
        XCTAssertThrowsError(try JSONParser.parse(big)) { error in
            XCTAssertEqual((error as? JSONParseError)?.description, "document is 1048577 bytes; the limit is 1048576 bytes")
        }
        // Exactly 1 MiB is allowed.
        let padding = JSONParser.defaultMaxBytes - 2
        let exact = bytes("[" + String(repeating: " ", count: padding) + "]")
        XCTAssertEqual(exact.count, JSONParser.defaultMaxBytes)
        XCTAssertEqual(try JSONParser.parse(exact), .array([]))
    }

    func testSerialisationRoundTrips() throws {
        let text = #"{"b":[1,2.5,"x\n\u0001"],"a":{"c":null,"d":true}}"#
        let v = try JSONParser.parse(bytes(text))
        XCTAssertEqual(v.jsonText, text.replacingOccurrences(of: #"\u0001"#, with: #"\u0001"#))
        XCTAssertEqual(try JSONParser.parse(bytes(v.prettyJSONText)), v)
    }
    /// `quoted` skips the escaping loop when no byte needs an escape: random strings over an
    /// alphabet of plain text and every class that does (quote, backslash, controls) must read
    /// back as themselves, and an escape-free one must come out as the bare text in quotes.
    func testQuotedReadsBackWithAndWithoutEscapes() throws {
        let alphabet: [Character] = ["a", "Z", "0", " ", "粤", "检", "é", "😀", "/", "'", "\u{7F}", "\u{2028}",
                                     "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}"]
        var generator = SystemRandomNumberGenerator()
        var escapeFree = 0
        for _ in 0..<2_000 {
            let s = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            let literal = JSONValue.quoted(s)
            XCTAssertEqual(try JSONParser.parse(Array(literal.utf8)), .string(s), literal)
            let read = try JSONSerialization.jsonObject(with: Data(literal.utf8), options: .fragmentsAllowed) as? String
            XCTAssertEqual(read, s, literal)
            if !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\"" || $0 == "\\" }) {
                escapeFree += 1
                XCTAssertEqual(literal, "\"" + s + "\"")
            } else {
                XCTAssertFalse(literal.unicodeScalars.contains { $0.value < 0x20 }, literal)
            }
        }
        XCTAssertGreaterThan(escapeFree, 0)
    }
}
