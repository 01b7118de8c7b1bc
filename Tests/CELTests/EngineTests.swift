// EngineTests: the facade and the evaluator on station-shaped records.

import Foundation
import XCTest
@testable import CEL

/// The facade and the evaluator on station-shaped data: object fields and presence,
/// host functions, activations, budgets, error locations, time zones.
final class EngineTests: XCTestCase {

    static let driver = ObjectType(name: "station.Driver", fields: [
        ("name", .string), ("alcohol_mg_per_100ml", .double), ("licence_expires", .timestamp), ("minutes", .int),
    ])
    static let departure = ObjectType(name: "station.Departure", fields: [
        ("plate", .string), ("seats", .int), ("passengers", .int), ("driver", .object("station.Driver")),
        ("items", .list(.map(.string, .dyn))),
    ])

    static let declarations = Declarations(
        variables: ["d": .object("station.Departure"), "now": .timestamp, "params": .map(.string, .dyn)],
        objectTypes: [driver, departure],
        functions: [
            FunctionDecl(name: "station.hoursBetween", overloads: [
                FunctionOverload(id: "hours_between_ts_ts", parameters: [.timestamp, .timestamp], result: .int,
                                 implementation: .binary { a, b in
                                     guard case .timestamp(let x) = a, case .timestamp(let y) = b else { return .error(EvalError("bad args")) }
                                     return .int((y.seconds - x.seconds) / 3600)
                                 }),
            ]),
            FunctionDecl(name: "isBlank", overloads: [
                FunctionOverload(id: "string_is_blank", isMember: true, parameters: [.string], result: .bool,
                                 implementation: .unary { v in
                                     guard case .string(let s) = v else { return .error(EvalError("bad arg")) }
                                     return .bool(s.allSatisfy { $0 == " " })
                                 }),
            ]),
            FunctionDecl(name: "describe", overloads: [
                FunctionOverload(id: "describe_int", parameters: [.int], result: .string, implementation: .unary { _ in .string("int") }),
                FunctionOverload(id: "describe_string", parameters: [.string], result: .string, implementation: .unary { _ in .string("string") }),
            ]),
        ])

    static func record(alcohol: Double? = 12.5, driverName: String? = "Li Wei") -> Value {
        let drv = ObjectValue(type: driver, fields: [
            driverName.map { .string($0) }, alcohol.map { .double($0) },
            .timestamp(CELTimestamp(seconds: 1_800_000_000)), .int(200),
        ])
        let items: [Value] = ["clothing", "fireworks"].map {
            .map(try! MapValue(pairs: [(.string("category"), .string($0))]))
        }
        return .object(ObjectValue(type: departure, fields: [.string("粤A·12345"), .int(50), .int(52), .object(drv), .list(items)]))
    }

    let env = Environment(declarations: EngineTests.declarations)

    private func eval(_ text: String, _ bindings: [String: Value]? = nil, options: ProgramOptions = ProgramOptions(),
                      file: StaticString = #filePath, line: UInt = #line) -> Value {
        do {
            let program = try env.program(try env.compile(Source(text)), options: options)
            return program.evaluate(bindings ?? ["d": Self.record(), "now": .timestamp(CELTimestamp(seconds: 1_764_374_400))])
        } catch {
            XCTFail("\(text): \(error)", file: file, line: line)
            return .error(EvalError("compile failed"))
        }
    }

    private func assertValue(_ text: String, _ want: Value, file: StaticString = #filePath, line: UInt = #line) {
        let got = eval(text, file: file, line: line)
        XCTAssertTrue(TaggedValue.matches(got, expected: want), "\(text): got \(got), want \(want)", file: file, line: line)
    }

    private func assertError(_ text: String, containing: String, _ bindings: [String: Value]? = nil,
                             options: ProgramOptions = ProgramOptions(), file: StaticString = #filePath, line: UInt = #line) {
        guard case .error(let e) = eval(text, bindings, options: options, file: file, line: line) else {
            return XCTFail("\(text): expected an error", file: file, line: line)
        }
        XCTAssertTrue(e.message.contains(containing), "\(text): \(e.message)", file: file, line: line)
    }

    func testStationRules() {
        assertValue("d.passengers > d.seats", .bool(true))
        assertValue("d.driver.alcohol_mg_per_100ml >= 20.0 || d.driver.minutes > 240", .bool(false))
        assertValue("d.items.exists(i, i.category in ['explosive', 'fireworks'])", .bool(true))
        assertValue("d.items.map(i, i.category).filter(c, c.startsWith('f'))", .list([.string("fireworks")]))
        assertValue("size(d.plate) == 8 && d.plate.startsWith('粤')", .bool(true))
        assertValue("station.hoursBetween(now, d.driver.licence_expires)", .int(9896))
        assertValue("'  '.isBlank() && !d.plate.isBlank()", .bool(true))
        assertValue("[describe(1), describe(dyn('x'))]", .list([.string("int"), .string("string")]))
        assertValue("now.getHours('Asia/Shanghai')", .int(8))
        assertValue("now.getDayOfWeek('+08:00')", .int(6))
        assertValue("type(d) == station.Departure && type(d.seats) == int", .bool(true))
    }

    func testAbsentFieldsAreErrorsNotDefaults() {
        let noAlcohol = ["d": Self.record(alcohol: nil), "now": Value.timestamp(CELTimestamp(seconds: 0))]
        assertError("d.driver.alcohol_mg_per_100ml > 20.0", containing: "no such field 'alcohol_mg_per_100ml'", noAlcohol)
        XCTAssertTrue(TaggedValue.matches(eval("has(d.driver.alcohol_mg_per_100ml)", noAlcohol), expected: .bool(false)))
        // `||` absorbs the error only when another branch decides.
        XCTAssertTrue(TaggedValue.matches(eval("d.driver.alcohol_mg_per_100ml > 20.0 || true", noAlcohol), expected: .bool(true)))
        assertError("d.driver.alcohol_mg_per_100ml > 20.0 || false", containing: "no such field", noAlcohol)
    }

    func testRuntimeErrors() {
        assertError("d.seats / (d.passengers - 52)", containing: "division by zero")
        assertError("9223372036854775807 + d.seats", containing: "overflow")
        assertError("params.missing", containing: "no such key", ["d": Self.record(), "now": .null, "params": .map(MapValue())])
        assertError("d.items[5]", containing: "index out of range")
        assertError("now + duration('87600000h')", containing: "range")
        assertError("d.plate.matches(dyn(d.seats) == 50 ? '(' : 'x')", containing: "regular expression")
    }

    func testUnboundVariableIsAnError() throws {
        let p = try env.program(try env.compile(Source("d.seats > 1")))
        guard case .error(let e) = p.evaluate([:]) else { return XCTFail("expected an error") }
        XCTAssertTrue(e.message.contains("'d'"), e.message)
    }

    func testCompileErrorsAreReportedWithPositions() {
        let src = Source("d.seets > 1 && undeclared", description: "rules.d/seats.yaml", baseLine: 7, baseColumn: 16)
        XCTAssertThrowsError(try env.compile(src)) { error in
            guard let e = error as? CompileError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.issues.count, 2)
            XCTAssertTrue(e.description.contains("rules.d/seats.yaml:7:17:"), e.description)
            XCTAssertTrue(e.description.contains("seets"), e.description)
        }
        XCTAssertThrowsError(try env.program(try env.compile(Source("now.getHours('Mars/Olympus')")))) { error in
            XCTAssertTrue("\(error)".contains("unknown time zone 'Mars/Olympus'"), "\(error)")
        }
        // A bad constant pattern fails when the program is made, not at 3 a.m.
        XCTAssertThrowsError(try env.program(try env.compile(Source("d.plate.matches('(')")))) { error in
            XCTAssertTrue("\(error)".contains("1:17"), "\(error)")
        }
    }

    func testEvaluationErrorLocation() throws {
        let src = Source("d.seats > 0 &&\n  d.seats / 0 > 1", description: "r.yaml", baseLine: 10, baseColumn: 9, continuationIndent: 4)
        let p = try env.program(try env.compile(src))
        guard case .error(let e) = p.evaluate(["d": Self.record()]) else { return XCTFail("expected an error") }
        let loc = p.location(of: e)
        XCTAssertEqual(loc?.line, 11)
        XCTAssertEqual(loc?.column, 15)
    }

    func testActivationReuseAndBudget() throws {
        let p = try env.program(try env.compile(Source("d.passengers > d.seats")))
        let act = p.makeActivation()
        XCTAssertTrue(act.bind("d", Self.record()))
        XCTAssertFalse(act.bind("nonexistent", .null))
        for _ in 0..<3 { XCTAssertTrue(TaggedValue.matches(p.evaluate(act), expected: .bool(true))) }
        let other = try env.program(try env.compile(Source("true")))
        XCTAssertTrue(other.evaluate(act).isError, "an activation belongs to its program")

        // Nested loops multiply: 100 × 100 iterations exceed a budget of 5,000.
        let loops = "[\(Array(repeating: "1", count: 100).joined(separator: ","))]"
        let text = "\(loops).all(x, \(loops).all(y, x == y))"
        assertError(text, containing: "cost limit", options: ProgramOptions(costLimit: 5000))
        XCTAssertTrue(TaggedValue.matches(eval(text, options: ProgramOptions(costLimit: 20_000)), expected: .bool(true)))
    }

    func testDoublingCannotFillMemory() {
        // Each step doubles the string: 2^45 × 16 bytes if nothing stopped it.
        let text = "['xxxxxxxxxxxxxxxx']" + String(repeating: ".map(s, s + s)", count: 45) + "[0].size()"
        assertError(text, containing: "cost limit")
        let bind = "cel.bind(s0, 'xxxxxxxxxxxxxxxx', " + (1...45).map { "cel.bind(s\($0), s\($0 - 1) + s\($0 - 1), " }.joined()
            + "size(s45)" + String(repeating: ")", count: 46)
        assertError(bind, containing: "cost limit")
    }

    func testDeepestAcceptedExpressionFitsASmallStack() {
        // At the nesting limit, parse, check, plan and evaluate on a 4 MiB thread stack (less
        // than the usual 8 MiB default; release builds need under 256 KiB, debug about 2 MiB).
        let depth = ParserOptions().maxDepth - 2
        let shapes = [
            String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth),
            String(repeating: "int(", count: depth) + "1" + String(repeating: ")", count: depth),
            String(repeating: "(1 + ", count: depth / 2) + "1" + String(repeating: ")", count: depth / 2),
            String(repeating: "[1].exists(x, ", count: depth / 6) + "true" + String(repeating: ")", count: depth / 6),
        ]
        final class Outcomes: @unchecked Sendable { var list: [String] = [] }   // written by one thread, read after it signals
        let outcomes = Outcomes()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            for text in shapes {
                do {
                    let env = Environment()
                    let v = try env.program(try env.compile(Source(text))).evaluate([:])
                    outcomes.list.append(v.isError ? "error" : "value")
                } catch {
                    outcomes.list.append("compile error: \(error)")
                }
            }
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        done.wait()
        XCTAssertEqual(outcomes.list, ["value", "value", "value", "value"])
    }

    func testHostBuiltValuesOutOfRangeAreErrors() throws {
        // A host may hand over any CELTimestamp or a shortened field array: errors, not traps.
        let env = Environment(declarations: Declarations(variables: ["t": .timestamp, "o": .dyn], objectTypes: [Self.driver]))
        for text in ["string(t)", "t.getHours()", "t.getHours('Asia/Shanghai')", "t + duration('1s')"] {
            let p = try env.program(try env.compile(Source(text)))
            for s in [Int64.max, Int64.min] {
                XCTAssertTrue(p.evaluate(["t": .timestamp(CELTimestamp(seconds: s))]).isError, "\(text) at \(s)")
            }
        }
        let short = ObjectValue(type: Self.driver, fields: [nil, nil, nil, nil])
        short.fields = []
        for text in ["o.minutes", "has(o.minutes)", "o.?minutes", "o == o", "[1][dyn(1e19)]"] {
            let p = try env.program(try env.parse(Source(text)))
            _ = p.evaluate(["o": .object(short)])
        }
    }

    func testStringConversionsFollowGoStrconv() throws {
        let env = Environment()
        func run(_ t: String) throws -> Value { try env.program(try env.parse(Source(t))).evaluate([:]) }
        for bad in ["double('0x10')", "double('1e400')", "double('-1e400')", "uint('-0')", "uint('+1')", "double('1_000')", "int(' 1')"] {
            XCTAssertTrue(try run(bad).isError, bad)
        }
        let good: [(String, Value)] = [("double('0x1p3')", .double(8)), ("double('-Infinity')", .double(-.infinity)),
                                       ("double('5.')", .double(5)), ("double('1e-400')", .double(0)), ("int('+5')", .int(5)),
                                       ("uint('18446744073709551615')", .uint(UInt64.max))]
        for (text, want) in good { XCTAssertTrue(TaggedValue.matches(try run(text), expected: want), text) }
    }

    func testOneProgramManyThreads() throws {
        // A program is shared; each thread has its own activation.
        let p = try env.program(try env.compile(Source(
            "d.items.exists(i, i.category in ['fireworks', 'petrol']) && d.passengers > d.seats && now.getHours('Asia/Shanghai') == 8")))
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var wrong = 0
            func add(_ n: Int) { lock.lock(); wrong += n; lock.unlock() }
        }
        let tally = Tally()
        let record = Self.record()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let a = p.makeActivation()
            a.bind("d", record)
            a.bind("now", .timestamp(CELTimestamp(seconds: 1_764_374_400)))
            var wrong = 0
            for _ in 0..<5_000 { if case .bool(true) = p.evaluate(a) {} else { wrong += 1 } }
            tally.add(wrong)
        }
        XCTAssertEqual(tally.wrong, 0)
    }

    func testUncheckedProgramsReadAnyName() throws {
        // A dotted variable must be declared to be read as one name; `x` needs no declaration.
        let env = Environment(declarations: Declarations(variables: ["a.b.c": .int]))
        let p = try env.program(try env.parse(Source("a.b.c + x")))
        XCTAssertTrue(TaggedValue.matches(p.evaluate(["a.b.c": .int(1), "x": .int(2)]), expected: .int(3)))
        let q = try env.program(try env.parse(Source("a.b + 1")))
        let m = Value.map(try MapValue(pairs: [(.string("b"), .int(41))]))
        XCTAssertTrue(TaggedValue.matches(q.evaluate(["a": m]), expected: .int(42)))
    }

    func testLeadingDotReadsTheRootScopeVariable() throws {
        // The comprehension variable `x` shadows the global x; `.x` reads the global, both
        // checked (through the checker's references) and unchecked (through the planner).
        let env = Environment(declarations: Declarations(variables: ["x": .int]))
        let text = "[1, 2].map(x, x * 100 + .x)"
        let want = Value.list([.int(107), .int(207)])
        let checked = try env.program(try env.compile(Source(text)))
        XCTAssertTrue(TaggedValue.matches(checked.evaluate(["x": .int(7)]), expected: want), "\(checked.evaluate(["x": .int(7)]))")
        let unchecked = try env.program(try env.parse(Source(text)))
        XCTAssertTrue(TaggedValue.matches(unchecked.evaluate(["x": .int(7)]), expected: want), "\(unchecked.evaluate(["x": .int(7)]))")
        // A namespaced function under a leading dot is still the namespaced function.
        let math = Environment(declarations: Declarations(functions: Extensions.math))
        let namespaced = "[1].all(math, .math.greatest(math, 5) == 5)"
        for p in [try math.program(try math.compile(Source(namespaced))), try math.program(try math.parse(Source(namespaced)))] {
            XCTAssertTrue(TaggedValue.matches(p.evaluate([:]), expected: .bool(true)), "\(p.evaluate([:]))")
        }
    }

    func testMapKeysAndHeterogeneousEquality() throws {
        let env = Environment()
        func run(_ t: String) throws -> Value { try env.program(try env.parse(Source(t))).evaluate([:]) }
        XCTAssertTrue(TaggedValue.matches(try run("{1: 'a'}[1u] == 'a' && {1: 'a'}[1.0] == 'a'"), expected: .bool(true)))
        XCTAssertTrue(try run("{1.5: 'a'}").isError, "double keys are not allowed")
        XCTAssertTrue(try run("{1: 'a', 1u: 'b'}").isError, "1 and 1u are the same key")
        XCTAssertTrue(TaggedValue.matches(try run("1 == 1.0 && 1u == 1 && [1, 'a'] == [1.0, 'a'] && 'a' != 1"), expected: .bool(true)))
        // Code points, not canonical equivalence: precomposed é is not e + combining acute.
        XCTAssertTrue(TaggedValue.matches(try run("'\\u00e9' == 'e\\u0301' || size('e\\u0301') != 2"), expected: .bool(false)))
    }
}
