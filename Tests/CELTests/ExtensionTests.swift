// ExtensionTests: the strings, math and encoders extensions and their conformance lines.

import Foundation
import XCTest
@testable import CEL

/// The strings, math and encoders extensions, called directly through their declarations
/// (as the planner binds them): the overload is picked by the arguments' run-time kinds.
final class ExtensionTests: XCTestCase {

    /// Calls `name` from `library` the way a planner would: the first overload whose arity
    /// and parameter kinds fit the values.
    private func call(_ name: String, _ args: [Value], in library: [FunctionDecl] = Extensions.all) -> Value {
        guard let decl = library.first(where: { $0.name == name }) else { return .error(EvalError("no function \(name)")) }
        for o in decl.overloads where o.parameters.count == args.count && zip(o.parameters, args).allSatisfy(fits) {
            var budget = Int.max
            return Planner.invoke(o.implementation, args, budget: &budget)
        }
        return .error(EvalError("no such overload"))
    }

    private func fits(_ t: CELType, _ v: Value) -> Bool {
        switch (t, v) {
        case (.dyn, _), (.parameter, _), (.int, .int), (.uint, .uint), (.double, .double), (.string, .string),
             (.bytes, .bytes), (.bool, .bool), (.list, .list), (.map, .map): return true
        default: return false
        }
    }

    /// The encoded text of a result, so expectations read like the conformance file.
    private func show(_ v: Value) -> String {
        switch v {
        case .error(let e): return "error: \(e.message)"
        case .string(let s): return "'\(s)'"
        case .int(let i): return String(i)
        case .uint(let u): return "\(u)u"
        case .double(let d): return TaggedValue.formatDouble(d)
        case .bool(let b): return String(b)
        case .bytes(let b): return "b'\(String(decoding: b, as: UTF8.self))'"
        case .list(let items): return "[" + items.map(show).joined(separator: ", ") + "]"
        default: return "\(v)"
        }
    }

    private func check(_ table: [(String, [Value], String)], file: StaticString = #filePath, line: UInt = #line) {
        for (name, args, expected) in table {
            XCTAssertEqual(show(call(name, args)), expected, "\(name)(\(args.map(show).joined(separator: ", ")))", file: file, line: line)
        }
    }

    // MARK: - Strings

    func testStringsCodePointIndexes() {
        check([
            ("charAt", [.string("tacocat"), .int(3)], "'o'"),
            ("charAt", [.string("tacocat"), .int(7)], "''"),
            ("charAt", [.string("©αT"), .int(1)], "'α'"),
            ("charAt", [.string("tacocat"), .int(30)], "error: index out of range: 30"),
            ("charAt", [.string("tacocat"), .int(-1)], "error: index out of range: -1"),
            ("indexOf", [.string("tacocat"), .string("")], "0"),
            ("indexOf", [.string("tacocat"), .string("ac")], "1"),
            ("indexOf", [.string("tacocat"), .string("none")], "-1"),
            ("indexOf", [.string("tacocat"), .string(""), .int(3)], "3"),
            ("indexOf", [.string("tacocat"), .string("a"), .int(3)], "5"),
            ("indexOf", [.string("ta©o©αT"), .string("©"), .int(3)], "4"),
            ("indexOf", [.string("ta©o©αT"), .string("©α"), .int(5)], "-1"),
            ("indexOf", [.string("tacocat"), .string("a"), .int(30)], "error: index out of range: 30"),
            ("lastIndexOf", [.string(""), .string("@@")], "-1"),
            ("lastIndexOf", [.string("tacocat"), .string("")], "7"),
            ("lastIndexOf", [.string("tacocat"), .string("at")], "5"),
            ("lastIndexOf", [.string("tacocat"), .string(""), .int(3)], "3"),
            ("lastIndexOf", [.string("tacocat"), .string("a"), .int(3)], "1"),
            ("lastIndexOf", [.string("ta©o©αT"), .string("©α"), .int(4)], "4"),
            ("lastIndexOf", [.string("bananananana"), .string("nana"), .int(7)], "6"),
            ("lastIndexOf", [.string("tacocat"), .string("a"), .int(-1)], "error: index out of range: -1"),
            ("lastIndexOf", [.string("tacocat"), .string("a"), .int(30)], "error: index out of range: 30"),
            ("substring", [.string("tacocat"), .int(4)], "'cat'"),
            ("substring", [.string("tacocat"), .int(7)], "''"),
            ("substring", [.string("ta©o©αT"), .int(2), .int(6)], "'©o©α'"),
            ("substring", [.string("tacocat"), .int(40)], "error: index out of range: 40"),
            ("substring", [.string("tacocat"), .int(1), .int(50)], "error: index out of range: 50"),
            ("substring", [.string("tacocat"), .int(49), .int(50)], "error: index out of range: 49"),
            ("substring", [.string("tacocat"), .int(4), .int(3)], "error: invalid substring range. start: 4, end: 3"),
            ("reverse", [.string("Ta©oCαt")], "'tαCo©aT'"),
            ("reverse", [.string("")], "''"),
        ])
    }

    func testStringsEditing() {
        check([
            ("lowerAscii", [.string("TacoCÆt Xii")], "'tacocÆt xii'"),
            ("upperAscii", [.string("tacoCαt")], "'TACOCαT'"),
            ("replace", [.string("{0} days {0} hours"), .string("{0}"), .string("2")], "'2 days 2 hours'"),
            ("replace", [.string("{0} days {0} hours"), .string("{0}"), .string("2"), .int(1)], "'2 days {0} hours'"),
            ("replace", [.string("1 ©αT taco"), .string("αT"), .string("o©α")], "'1 ©o©α taco'"),
            ("replace", [.string("ab"), .string(""), .string("-")], "'-a-b-'"),
            ("replace", [.string("aaa"), .string("a"), .string("b"), .int(0)], "'aaa'"),
            ("split", [.string("hello world"), .string(" ")], "['hello', 'world']"),
            ("split", [.string("hello world events!"), .string(" "), .int(0)], "[]"),
            ("split", [.string("hello world events!"), .string(" "), .int(1)], "['hello world events!']"),
            ("split", [.string("hello world events!"), .string(" "), .int(2)], "['hello', 'world events!']"),
            ("split", [.string("o©o©o©o"), .string("©"), .int(-1)], "['o', 'o', 'o', 'o']"),
            ("split", [.string("a©b"), .string("")], "['a', '©', 'b']"),
            ("trim", [.string(" \u{0C}\n\r\t\u{0B}text  ")], "'text'"),
            ("trim", [.string("\u{85}\u{A0}\u{1680}text\u{2028}\u{3000}")], "'text'"),
            ("trim", [.string("\u{180E}text\u{200B}\u{FEFF}")], "'\u{180E}text\u{200B}\u{FEFF}'"),
            ("trim", [.string("   ")], "''"),
            ("join", [.list([.string("x"), .string("y")])], "'xy'"),
            ("join", [.list([.string("x"), .string("y")]), .string("-")], "'x-y'"),
            ("join", [.list([]), .string("-")], "''"),
            ("join", [.list([.string("x"), .int(1)])], "error: no such overload: join"),
            ("strings.quote", [.string("first\nsecond")], #"'"first\nsecond"'"#),
            ("strings.quote", [.string("bell\u{07}")], #"'"bell\a"'"#),
            ("strings.quote", [.string("ends with \\")], #"'"ends with \\"'"#),
            ("strings.quote", [.string("mid \" quote")], #"'"mid \" quote"'"#),
            ("strings.quote", [.string("завтра😀")], #"'"завтра😀"'"#),
        ])
    }

    func testStringsFormat() {
        let f = { (template: String, args: [Value]) in [("format", [Value.string(template), .list(args)])] }
        let table: [(String, [Value], String)] = [
            ("%%%s%%", [.string("text")], "'%text%'"),
            ("%d %s", [.int(1), .string("A")], "'1 A'"),
            ("%.3f", [.double(1.2345)], "'1.234'"),
            ("%.0f", [.double(2.5)], "'2'"),
            ("%.3f", [.double(-123.4999)], "'-123.500'"),
            ("%b", [.int(5)], "'101'"),
            ("%b", [.bool(true)], "'1'"),
            ("%o", [.uint(65535)], "'177777'"),
            ("%x is", [.int(30)], "'1e is'"),
            ("%X", [.string("Hello world!")], "'48656C6C6F20776F726C6421'"),
            ("%x", [.bytes(Array("byte string".utf8))], "'6279746520737472696e67'"),
            ("%.6e", [.double(1052.032911275)], "'1.052033e+03'"),
            ("%e", [.uint(3)], "'3.000000e+00'"),
            ("%f", [.double(.nan)], "'NaN'"),
            ("%d", [.double(-.infinity)], "'-Infinity'"),
            ("%s", [.null], "'null'"),
            ("%s", [.list([.string("abc"), .double(3.14), .null, .list([.int(9), .int(8)])])], "'[abc, 3.14, null, [9, 8]]'"),
            ("%s", [.duration(CELDuration(seconds: 6347))], "'6347s'"),
            ("%s", [.timestamp(CELTimestamp(seconds: 1675467080))], "'2023-02-03T23:31:20Z'"),
            ("%s", [.type(.string)], "'string'"),
            ("%a", [.int(1)], "error: could not parse formatting clause: unrecognized formatting clause \"a\""),
            ("%d %d %d", [.int(0), .int(1)], "error: index 2 out of range"),
            ("%d", [.duration(CELDuration(seconds: 1))], "error: error during formatting: decimal clause can only be used on integers, was given a non-integer"),
            ("%x", [.double(0.5)], "error: error during formatting: only integers, byte buffers, and strings can be formatted as hex"),
        ]
        for (template, args, expected) in table {
            for (name, a) in f(template, args) {
                XCTAssertEqual(show(call(name, a)), expected, template)
            }
        }
        let map = try! MapValue(pairs: [(.string("strKey"), .string("x")), (.int(6), .duration(CELDuration(seconds: 422))), (.bool(true), .int(42))])
        XCTAssertEqual(show(call("format", [.string("%s"), .list([.map(map)])])), "'{6: 422s, strKey: x, true: 42}'")
    }

    func testStringsWrongTypesAreErrorsNotTraps() {
        check([
            ("charAt", [.string("hello"), .bool(true)], "error: no such overload"),
            ("indexOf", [.string("42"), .string("4"), .string("0")], "error: no such overload"),
            ("replace", [.string("42"), .string("2"), .string("1"), .string("1")], "error: no such overload"),
            ("substring", [.string("tacocat"), .int(0), .bool(false)], "error: no such overload"),
        ])
        // An error argument comes back unchanged, whichever overload the planner bound.
        for decl in Extensions.all {
            for o in decl.overloads {
                let upstream = Value.error(EvalError("upstream"))
                let args = Array(repeating: upstream, count: o.parameters.count)
                var budget = Int.max
                let result = Planner.invoke(o.implementation, args, budget: &budget)
                XCTAssertEqual(show(result), "error: upstream", o.id)
            }
        }
    }

    // MARK: - Math

    func testMathGreatestAndLeast() {
        check([
            ("math.greatest", [.int(-5)], "-5"),
            ("math.greatest", [.int(1), .uint(1)], "1"),
            ("math.greatest", [.uint(5), .int(-7)], "5u"),
            ("math.greatest", [.int(-3), .uint(3)], "3u"),
            ("math.greatest", [.double(1.797693e308), .int(1)], "1.797693e+308"),
            ("math.greatest", [.double(5.4), .int(10), .uint(3), .double(-5.0), .int(Int64.max)], "9223372036854775807"),
            ("math.greatest", [.list([.double(5.4), .uint(10), .uint(3), .double(-5.0), .double(3.5)])], "10u"),
            ("math.greatest", [.uint(UInt64.max), .int(1)], "18446744073709551615u"),
            ("math.greatest", [.int(Int64.max), .double(9.223372036854775807e18)], "9.223372036854776e+18"),
            ("math.least", [.int(Int64.min), .int(1)], "-9223372036854775808"),
            ("math.least", [.double(5.4), .int(10), .uint(3), .uint(1), .uint(UInt64.max)], "1u"),
            ("math.least", [.list([.double(5.4), .double(10.5), .uint(3), .double(-5.0)])], "-5.0"),
            ("math.least", [.list([])], "error: math.least(list) argument must not be empty"),
            ("math.least", [.list([.string("a")])], "error: no such overload: math.least"),
            ("math.greatest", [.int(1), .string("a"), .int(2)], "error: no such overload: math.greatest"),
        ])
    }

    func testMathRoundingAndPredicates() {
        check([
            ("math.ceil", [.double(-1.2)], "-1.0"),
            ("math.floor", [.double(-1.2)], "-2.0"),
            ("math.round", [.double(-1.5)], "-2.0"),
            ("math.round", [.double(1.5)], "2.0"),
            ("math.round", [.double(-1.4)], "-1.0"),
            ("math.trunc", [.double(-1.2)], "-1.0"),
            ("math.ceil", [.int(1)], "error: no such overload"),
            ("math.abs", [.int(-11)], "11"),
            ("math.abs", [.double(-11.5)], "11.5"),
            ("math.abs", [.uint(1)], "1u"),
            ("math.abs", [.int(Int64.min)], "error: overflow: math.abs(-9223372036854775808)"),
            ("math.sign", [.int(-11)], "-1"),
            ("math.sign", [.uint(0)], "0u"),
            ("math.sign", [.double(100.5)], "1.0"),
            ("math.sign", [.bool(true)], "error: no such overload"),
            ("math.isNaN", [.double(.nan)], "true"),
            ("math.isInf", [.double(-.infinity)], "true"),
            ("math.isFinite", [.double(.nan)], "false"),
        ])
    }

    func testMathBits() {
        check([
            ("math.bitAnd", [.int(1), .int(3)], "1"),
            ("math.bitOr", [.uint(1), .uint(4)], "5u"),
            ("math.bitXor", [.int(4), .int(-2)], "-6"),
            ("math.bitNot", [.uint(1)], "18446744073709551614u"),
            ("math.bitNot", [.int(0)], "-1"),
            ("math.bitShiftLeft", [.int(1), .int(2)], "4"),
            ("math.bitShiftLeft", [.int(-1), .int(200)], "0"),
            ("math.bitShiftRight", [.int(-1024), .int(3)], "2305843009213693824"),
            ("math.bitShiftRight", [.uint(1024), .int(200)], "0u"),
            ("math.bitShiftLeft", [.uint(1), .int(-1)], "error: math.bitShiftLeft() negative offset: -1"),
            ("math.bitAnd", [.uint(2), .string("")], "error: no such overload"),
        ])
    }

    // MARK: - Encoders

    func testBase64() {
        check([
            ("base64.encode", [.bytes(Array("hello".utf8))], "'aGVsbG8='"),
            ("base64.decode", [.string("aGVsbG8=")], "b'hello'"),
            ("base64.decode", [.string("aGVsbG8")], "b'hello'"),
            ("base64.decode", [.string("!!")], "error: base64.decode: illegal base64 data"),
        ])
    }

    // MARK: - Declarations

    /// Every overload id is unique, and member-ness matches the call style CEL uses.
    func testDeclarationsAreWellFormed() {
        var ids = Set<String>()
        for decl in Extensions.all {
            for o in decl.overloads {
                XCTAssertTrue(ids.insert(o.id).inserted, "duplicate overload id \(o.id)")
                XCTAssertEqual(o.isMember, !decl.name.contains("."), decl.name)
            }
        }
        let standard = Set(StandardSignatures.all.map(\.id))
        XCTAssertTrue(ids.isDisjoint(with: standard))
    }

    // MARK: - Conformance subset, through the Environment facade

    /// The `ext` tier lines of string_ext and math_ext (and encoders_ext), compiled, planned and
    /// evaluated with the extensions declared; counts per section are printed.
    func testConformanceExtensionLines() throws {
        let path = "/work/shared/cel/conformance-subset.jsonl"
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("no \(path)") }
        var passed: [String: Int] = [:], total: [String: Int] = [:]
        var failures: [String] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let test = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let file = test["file"] as! String
            guard ["string_ext", "math_ext", "encoders_ext"].contains(file) else { continue }
            let section = "\(file)/\(test["section"]!)"
            let name = "\(section)/\(test["name"]!)"
            total[section, default: 0] += 1
            var bindings: [String: Value] = [:]
            var variables: [String: CELType] = [:]
            for (k, v) in test["bindings"] as? [String: Any] ?? [:] {
                bindings[k] = try TaggedValue.decode(v)
                variables[k] = CheckerTests.bindingType(v)
            }
            let env = Environment(declarations: Declarations(variables: variables, functions: Extensions.all))
            let expect = test["expect"] as! [String: Any]
            let result: Value
            do {
                let source = Source(test["expr"] as! String)
                let checked = test["disable_check"] as? Bool == true ? env.unchecked(try env.parse(source)) : try env.compile(source)
                result = try env.program(checked).evaluate(bindings)
            } catch {
                result = .error(EvalError("compile: \(error)"))
            }
            let ok: Bool
            if expect["error"] != nil {
                if case .error = result { ok = true } else { ok = false }
            } else {
                ok = TaggedValue.matches(result, expected: try TaggedValue.decode(expect["value"]!))
            }
            if ok { passed[section, default: 0] += 1 } else { failures.append("\(name): \(test["expr"]!) -> \(result)") }
        }
        for section in total.keys.sorted() { print("ext conformance \(section): \(passed[section] ?? 0)/\(total[section]!)") }
        print("ext conformance total: \(passed.values.reduce(0, +))/\(total.values.reduce(0, +))")
        XCTAssertEqual(total.values.reduce(0, +), 416)
        XCTAssertEqual(failures, [])
    }
}
