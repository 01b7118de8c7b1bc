// RegexTests: CELRegex against RE2's syntax, semantics, errors and linear-time promise.

import XCTest
@testable import CEL

final class RegexTests: XCTestCase {

    // MARK: matches, against a table (expectations follow RE2 / Go regexp)

    func testMatchTable() throws {
        let table: [(pattern: String, input: String, expected: Bool)] = [
            // literals, unanchored search
            ("abc", "xxabcxx", true), ("abc", "abx", false), ("", "", true), ("", "anything", true),
            ("a.c", "abc", true), ("a.c", "a\nc", false), ("(?s)a.c", "a\nc", true),
            // anchors: $ is end of text only (no final-newline exception), unless (?m)
            ("^abc$", "abc", true), ("^abc$", "abc\n", false), ("^abc$", "xabc", false),
            ("(?m)^b$", "a\nb\nc", true), ("^b$", "a\nb\nc", false), ("(?m)^$", "a\n\nb", true),
            ("\\Aab", "ab", true), ("\\Aab", "cab", false), ("ab\\z", "cab", true), ("ab\\z", "abc", false),
            ("(?m)\\Ab", "a\nb", false),
            ("^", "", true), ("$", "x", true), ("x^", "x", false), ("^*a", "a", true),
            // word boundaries (ASCII words, as RE2)
            ("\\bcat\\b", "a cat!", true), ("\\bcat\\b", "concat", false), ("\\Bcat", "concat", true),
            ("\\b", "", false), ("\\B", "", true), ("\\b", "站", false),
            // classes
            ("[a-c]+", "xxbcaxx", true), ("^[a-c]+$", "abcd", false), ("[^a-c]", "abc", false),
            ("[^a-c]", "abcd", true), ("[^a]", "\n", true), ("[]a]", "]", true), ("[^]a]", "]", false),
            ("[a-]", "-", true), ("[-a]", "-", true), ("[a-b-c]", "-", true), ("[\\]]", "]", true),
            ("[[:digit:]]", "x7", true), ("[[:^digit:]]", "77", false), ("[[:alpha:][:digit:]]+$", "ab12", true),
            ("[\\d\\s]", "a b", true), ("[\\D]", "123", false), ("x[\\x{4E00}-\\x{9FFF}]y", "x中y", true),
            // Perl classes
            ("^\\d+$", "0123456789", true), ("^\\d+$", "١٢٣", false), ("\\D", "123", false),
            ("^\\w+$", "abc_XYZ_09", true), ("^\\w+$", "café", false), ("\\W", "a_1", false),
            ("^\\s+$", " \t\n\r\u{0C}", true), ("\\s", "\u{0B}", false), ("\\S", "   ", false),
            // Unicode classes
            ("^\\p{L}+$", "café站Ωж", true), ("^\\pL+$", "abc1", false), ("\\p{N}", "x٣", true),
            ("^\\p{Han}+$", "浙A12345", false), ("^\\p{Han}+$", "杭州东站", true), ("\\p{Han}", "ひらがな", false),
            ("^\\P{Han}+$", "abc", true), ("\\p{^L}", "abc", false), ("\\p{Lu}", "abc", false), ("\\p{Lu}", "aBc", true),
            ("[\\p{Han}\\d]{3}", "x站1站y", true), ("[^\\p{L}]", "ab", false), ("\\p{Any}", "", false),
            ("\\p{Nd}", "Ⅻ", false), ("\\p{N}", "Ⅻ", true),
            // escapes
            ("a\\.b", "a.b", true), ("a\\.b", "axb", false), ("\\x41\\x{42}", "AB", true), ("\\n", "\n", true),
            ("\\t", "\t", true), ("\\101", "A", true), ("\\0", "\u{0}", true), ("\\Qa.b*\\E", "a.b*", true),
            ("\\Qa.b*\\E", "axbb", false), ("\\Qab", "ab", true), ("\\$\\^\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\\\\\/", "$^*+?()[]{}|\\/", true),
            // alternation and groups
            ("cat|dog", "hotdog", true), ("^(cat|dog)$", "catdog", false), ("^(?:cat|dog)+$", "catdog", true),
            ("^(?P<plate>[A-Z]\\d{5})$", "A12345", true), ("^(?<p>x)$", "x", true), ("a(|b)c", "ac", true),
            ("a||b", "", true), ("^(a|ab)(c|bcd)$", "abcd", true), ("()", "", true), ("(a*)*", "b", true),
            // repetition
            ("^a*$", "", true), ("^a+$", "", false), ("^a?b$", "b", true), ("^a{3}$", "aaa", true),
            ("^a{3}$", "aa", false), ("^a{2,}$", "aaaa", true), ("^a{2,}$", "a", false), ("^a{2,3}$", "aaaa", false),
            ("^a{0}$", "", true), ("^a{0,0}b$", "b", true), ("^(ab){2}$", "abab", true), ("^a{1,3}?$", "aa", true),
            ("^a*?b+?$", "aab", true), ("x{", "x{", true), ("x{a}", "x{a}", true), ("x{,3}", "x{,3}", true),
            ("^x{2}y{0,1}$", "xxy", true), ("^(a{2}){2}$", "aaaa", true), ("^(a{2}){2}$", "aaa", false),
            // flags
            ("(?i)abc", "xABCx", true), ("(?i:a)b", "Ab", true), ("(?i:a)b", "AB", false), ("a(?i)b", "aB", true),
            ("a(?i)b", "AB", false), ("(?i)straße", "STRASSE", false), ("(?i)k", "\u{212A}", true),
            ("(?i)[a-c]+$", "xABC", true), ("(?i)[^a]", "A", false), ("(?i)Ω", "ω", true), ("(?i)\\W", "k", false),
            ("((?i)a)b", "AB", false), ("(?im)^B$", "a\nb", true), ("(?i-i)a", "A", false), ("(?U)a+", "aa", true),
            ("(?s:.)", "\n", true), ("a(?)b", "ab", true), ("(?s).(?-s).", "\n\n", false),
            // Unicode scalars, not UTF-16 units or grapheme clusters
            ("^.$", "😀", true), ("^..$", "e\u{301}", true), ("^.$", "é", true), ("^\\x{1F600}$", "😀", true),
        ]
        for row in table {
            do {
                let re = try CELRegex.compile(row.pattern)
                XCTAssertEqual(re.matches(row.input), row.expected, "/\(row.pattern)/ on \(row.input.debugDescription)")
            } catch {
                XCTFail("/\(row.pattern)/ did not compile: \(error)")
            }
        }
    }

    // MARK: errors, with RE2's wording and the column

    func testRejectedPatternsNameTheColumn() {
        let table: [(pattern: String, column: Int, fragment: String)] = [
            ("(abc", 1, "missing closing )"), ("abc)", 4, "unexpected )"), ("[a-z", 1, "missing closing ]"),
            ("[", 1, "missing closing ]"), ("*a", 1, "missing argument to repetition operator"),
            ("a|+", 3, "missing argument to repetition operator"), ("{2}", 1, "missing argument to repetition operator"),
            ("a**", 3, "invalid nested repetition operator"), ("a*+", 3, "invalid nested repetition operator"),
            ("a{2}{3}", 5, "invalid nested repetition operator"), ("a*??", 4, "invalid nested repetition operator"),
            ("a{1001}", 2, "invalid repeat count"), ("a{2,1}", 2, "invalid repeat count"), ("a{0,1001}", 2, "invalid repeat count"),
            ("(a)\\1", 4, "backreferences are not supported"), ("\\9", 1, "backreferences are not supported"),
            ("(?P<n>a)(?P=n)", 9, "backreferences are not supported"),
            ("a(?=b)", 2, "lookaround assertions are not supported"), ("a(?!b)", 2, "lookaround"),
            ("(?<=a)b", 1, "lookaround"), ("(?<!a)b", 1, "lookaround"), ("(?>a)", 1, "atomic groups"),
            ("(?P<n>a)(?P<n>b)", 9, "duplicate capture group name"), ("(?P<>a)", 1, "invalid named capture"),
            ("(?P<a-b>x)", 1, "invalid named capture"), ("(?x)a", 1, "invalid or unsupported Perl syntax"),
            ("(?i-)a", 1, "invalid or unsupported Perl syntax"), ("(?-)", 1, "invalid or unsupported Perl syntax"),
            ("(?#c)", 1, "invalid or unsupported Perl syntax"),
            ("ab\\", 3, "trailing backslash"), ("\\q", 1, "invalid escape sequence"), ("\\x{110000}", 1, "invalid escape sequence"),
            ("\\xZ1", 1, "invalid escape sequence"), ("\\C", 1, "\\C"), ("a\\Z", 2, "\\Z is not supported"),
            ("[z-a]", 2, "invalid character class range"), ("[\\d-z]", 2, "invalid character class range"),
            ("[a-\\d]", 2, "invalid character class range"), ("\\p{Greek}", 1, "invalid character class range"),
            ("\\p{L", 1, "invalid character class range"), ("[[:foo:]]", 2, "invalid character class range"),
            ("站(", 2, "missing closing )"),
        ]
        for row in table {
            XCTAssertThrowsError(try CELRegex.compile(row.pattern), "/\(row.pattern)/ compiled") { error in
                guard let e = error as? CELRegexError else { return XCTFail("/\(row.pattern)/: \(error)") }
                XCTAssertEqual(e.column, row.column, "/\(row.pattern)/: \(e)")
                XCTAssertTrue(e.message.contains(row.fragment), "/\(row.pattern)/: \(e)")
                XCTAssertTrue(e.description.contains("at column \(row.column)"), e.description)
            }
        }
    }

    func testHostilePatternsAreRejectedNotSlow() {
        for pattern in ["((a{1000}){1000}){1000}", "(((((a{100}){100}){100}){100}){100})", "\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}\\p{L}{1000}",
                        String(repeating: "(", count: 5000) + "a" + String(repeating: ")", count: 5000),
                        String(repeating: "(?:", count: 300) + String(repeating: ")", count: 300)] {
            XCTAssertThrowsError(try CELRegex.compile(pattern), String(pattern.prefix(40))) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("too large") || text.contains("nests more than"), text)
            }
        }
        // Just inside the limits still compiles.
        XCTAssertNoThrow(try CELRegex.compile("a{1000}"))
        XCTAssertNoThrow(try CELRegex.compile(String(repeating: "(", count: 150) + "a" + String(repeating: ")", count: 150)))
    }

    // MARK: linear time, by instruction count

    /// Patterns that take exponential time in a backtracking engine finish in at most
    /// 3 × program size × (input length + 1) instruction visits.
    func testPathologicalPatternsRunInLinearSteps() throws {
        let n = 30_000
        let cases: [(pattern: String, input: String, expected: Bool)] = [
            ("(a*)*b", String(repeating: "a", count: n), false),
            ("(a|a)*c", String(repeating: "a", count: n), false),
            ("(x+x+)+y", String(repeating: "x", count: n), false),
            ("^(a|aa)*$", String(repeating: "a", count: n) + "b", false),
            ("(\\w+\\s?)+$", String(repeating: "word ", count: n / 5) + "!", false),
            ("(a*)*b", String(repeating: "a", count: n) + "b", true),
            ("(.*a){20}", String(repeating: "a", count: n), true),
        ]
        for c in cases {
            let re = try CELRegex.compile(c.pattern)
            let input = Array(c.input.unicodeScalars.map(\.value))
            let (matched, steps) = re.program.search(input)
            XCTAssertEqual(matched, c.expected, c.pattern)
            let bound = 3 * re.program.instructions.count * (input.count + 1)
            XCTAssertLessThanOrEqual(steps, bound, "/\(c.pattern)/: \(steps) steps over \(input.count) scalars")
            XCTAssertEqual(re.matches(c.input), c.expected, c.pattern)
        }
    }

    /// Doubling the input doubles the work (it does not square it).
    func testStepsGrowLinearlyWithInput() throws {
        let re = try CELRegex.compile("(x+x+)+y")
        let small = re.program.search(Array(repeating: 0x78, count: 10_000)).steps
        let large = re.program.search(Array(repeating: 0x78, count: 20_000)).steps
        XCTAssertGreaterThan(small, 10_000)
        XCTAssertLessThanOrEqual(Double(large), 2.1 * Double(small), "small \(small), large \(large)")
    }

    /// An anchored pattern stops as soon as no thread survives.
    func testAnchoredSearchStopsEarly() throws {
        let re = try CELRegex.compile("^abc")
        let (matched, steps) = re.program.search(Array(("x" + String(repeating: "a", count: 10_000)).unicodeScalars.map(\.value)))
        XCTAssertFalse(matched)
        XCTAssertLessThan(steps, 10)
    }
}
