// ParserTests: lexer and parser: literals, macros, error positions, depth and length limits.

import XCTest
@testable import CEL

/// The lexer and parser: literal forms, macro shapes, error text with positions in the
/// enclosing file, and the limits that keep hostile input from exhausting the stack.
final class ParserTests: XCTestCase {

    private func parse(_ text: String) throws -> ParsedExpression { try Parser.parse(Source(text)) }

    private func constant(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Constant? {
        do {
            if case .literal(let c) = try parse(text).expr.kind { return c }
            XCTFail("\(text): not a literal", file: file, line: line)
        } catch { XCTFail("\(text): \(error)", file: file, line: line) }
        return nil
    }

    private func parseError(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> CompileError? {
        do {
            _ = try parse(text)
            XCTFail("\(text): parsed, expected an error", file: file, line: line)
        } catch let e as CompileError { return e } catch { XCTFail("\(text): \(error)", file: file, line: line) }
        return nil
    }

    func testLiterals() {
        let table: [(String, Constant)] = [
            ("0", .int(0)), ("-9223372036854775808", .int(Int64.min)), ("9223372036854775807", .int(Int64.max)),
            ("0x1F", .int(31)), ("0X1fu", .uint(31)), ("18446744073709551615u", .uint(UInt64.max)),
            ("1.5", .double(1.5)), (".5", .double(0.5)), ("1e3", .double(1000)), ("2.5E-1", .double(0.25)), ("-0.0", .double(-0.0)),
            ("'a\\tb'", .string("a\tb")), ("\"\\u00e9\"", .string("é")), ("'\\U0001F62C'", .string("😬")),
            ("'\\101\\x42'", .string("AB")), ("r'\\n'", .string("\\n")), ("'''a\nb'''", .string("a\nb")),
            ("b'\\377\\x00'", .bytes([255, 0])), ("b'é'", .bytes([0xC3, 0xA9])), ("true", .bool(true)), ("null", .null),
        ]
        for (text, want) in table { XCTAssertEqual(constant(text), want, text) }
    }

    func testOperatorsAndPrecedence() throws {
        // `a || b && c == d + e * -f` nests as a || (b && (c == (d + (e * (-f))))).
        let e = try parse("a || b && c == d + e * -f").expr
        guard case .call(nil, Operator.logicalOr, let or) = e.kind,
              case .call(nil, Operator.logicalAnd, let and) = or[1].kind,
              case .call(nil, Operator.equals, let eq) = and[1].kind,
              case .call(nil, Operator.add, let add) = eq[1].kind,
              case .call(nil, Operator.multiply, let mul) = add[1].kind,
              case .call(nil, Operator.negate, _) = mul[1].kind else {
            return XCTFail("unexpected tree \(e)")
        }
        guard case .call(nil, Operator.conditional, let args) = try parse("a ? b : c ? d : e").expr.kind,
              case .call(nil, Operator.conditional, _) = args[2].kind else { return XCTFail("?: is right-associative") }
        guard case .call(nil, Operator.in, _) = try parse("x in [1, 2,]").expr.kind else { return XCTFail("in") }
        guard case .call(let t?, "startsWith", let a) = try parse("name.startsWith('x')").expr.kind,
              case .ident("name") = t.kind, a.count == 1 else { return XCTFail("member call") }
        guard case .ident(".x") = try parse(".x").expr.kind else { return XCTFail("leading dot keeps the root-scope marker") }
        guard case .select(_, "if", false) = try parse("m.if").expr.kind else { return XCTFail("reserved words are fields") }
    }

    func testMacros() throws {
        guard case .select(_, "f", true) = try parse("has(a.f)").expr.kind else { return XCTFail("has") }
        for text in ["l.all(x, x > 0)", "l.exists(x, x > 0)", "l.exists_one(x, x > 0)", "l.map(x, x * 2)",
                     "l.map(x, x > 0, x * 2)", "l.filter(x, x > 0)", "m.all(k, v, v > 0)", "l.transformList(i, v, v)",
                     "m.transformMap(k, v, v + 1)", "cel.bind(x, 1, x + 1)"] {
            guard case .comprehension = try parse(text).expr.kind else { return XCTFail("\(text) is not a comprehension") }
        }
        XCTAssertNotNil(parseError("has(a)"))
        XCTAssertNotNil(parseError("l.all(x.y, true)"))
        // Not macros: wrong argument counts stay calls.
        guard case .call(_, "all", _) = try parse("l.all(x)").expr.kind else { return XCTFail("l.all(x)") }
    }

    func testErrorsNameFileLineAndColumn() throws {
        // An expression at line 14, column 11 of a YAML file.
        let src = Source("a + * b", description: "rules.d/alcohol.yaml", baseLine: 14, baseColumn: 11)
        do {
            _ = try Parser.parse(src)
            XCTFail("parsed")
        } catch let e as CompileError {
            XCTAssertEqual(e.issues.count, 1)
            XCTAssertEqual(e.issues[0].line, 14)
            XCTAssertEqual(e.issues[0].column, 15)
            XCTAssertEqual(e.description, """
                ERROR: rules.d/alcohol.yaml:14:15: Syntax error: mismatched input '*' expecting expression
                 | a + * b
                 | ....^
                """)
        }
        // A block scalar: later lines are indented by 6 columns in the file.
        let block = Source("a &&\n  'x", description: "r.yaml", baseLine: 3, baseColumn: 7, continuationIndent: 6)
        do {
            _ = try Parser.parse(block)
            XCTFail("parsed")
        } catch let e as CompileError {
            XCTAssertEqual(e.issues[0].line, 4)
            XCTAssertEqual(e.issues[0].column, 9)
            XCTAssertTrue(e.description.hasPrefix("ERROR: r.yaml:4:9: Syntax error: unterminated string literal"), e.description)
            XCTAssertTrue(e.description.hasSuffix(" |   'x\n | ..^"), e.description)
        }
    }

    func testCaretLinesUpUnderWideCharacters() {
        guard let e = parseError("d.plate == '粤A' &&") else { return }
        XCTAssertTrue(e.description.hasSuffix(" | d.plate == '粤A' &&\n | ............\u{FF0E}.....^"), e.description)
    }

    func testRejectedInput() {
        for text in ["9223372036854775808", "18446744073709551616u", "'abc", "'a\nb'", "'\\q'", "'\\ud800'", "if",
                     "a.", "(1", "[1, 2", "{1: 2", "1 2", "a ? b", "#", "Msg{a: 1}", "`a`", "'''abc''", "0x", "in"] {
            XCTAssertNotNil(parseError(text), text)
        }
    }

    func testHostileInputIsRejectedNotCrashed() {
        // Deep nesting of every recursive form, and long left-deep operator chains.
        let deep = [
            String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000),
            String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000),
            String(repeating: "!a.b(", count: 3000),
            Array(repeating: "1", count: 20000).joined(separator: " + "),
            Array(repeating: "a", count: 5000).joined(separator: "."),
            String(repeating: "a[", count: 3000) + "0" + String(repeating: "]", count: 3000),
            String(repeating: "x ? 1 : ", count: 3000) + "2",
        ]
        for text in deep {
            guard let e = parseError(text) else { continue }
            XCTAssertTrue(e.issues[0].message.contains("nested too deeply") || e.issues[0].message.contains("size exceeds"),
                          e.issues[0].message)
        }
        XCTAssertNotNil(parseError(String(repeating: "1+", count: 60_000) + "1"))
        // Within the limits, still fine.
        XCTAssertNoThrow(try parse(Array(repeating: "1", count: 150).joined(separator: " + ")))
        XCTAssertNoThrow(try parse(String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)))
    }

    func testMutatedConformanceExpressionsNeverTrap() throws {
        // Cut every expression of a few shapes at each position and parse the prefix: any
        // outcome but a crash is fine.
        let samples = ["[1, 2, 3].exists(x, x > 2) && {'a': b'\\x00'}.size() == 1",
                       "timestamp('2009-02-13T23:31:30Z').getHours('Asia/Shanghai') in [7u, 0x7, 7.0]",
                       "r'''raw''' + \"\\U0001F62C\" != '\\377' ? -1 : .x.y[?0]"]
        var parsed = 0
        for s in samples {
            let scalars = Array(s.unicodeScalars)
            for n in 0...scalars.count {
                var v = String.UnicodeScalarView()
                v.append(contentsOf: scalars[0..<n])
                if (try? parse(String(v))) != nil { parsed += 1 }
            }
        }
        XCTAssertGreaterThan(parsed, 3)
    }
}
