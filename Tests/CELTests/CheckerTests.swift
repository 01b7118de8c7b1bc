// CheckerTests: the checker's types, issue wording and positions, and the conformance sweep.

import Foundation
import XCTest
@testable import CEL

/// The checker: a table of expressions with their expected type or exact issue text, and a
/// sweep over the shared conformance subset (no valid expression may be rejected).
final class CheckerTests: XCTestCase {

    // MARK: - A small station schema

    static let routePlate = ObjectType(name: "station.RoutePlate", fields: [
        ("number", .string), ("valid_to", .timestamp),
    ])
    static let documents = ObjectType(name: "station.Documents", fields: [
        ("route_plate", .object("station.RoutePlate")), ("permits", .list(.string)),
    ])
    static let departure = ObjectType(name: "station.Departure", fields: [
        ("plate", .string), ("seats", .int), ("passengers", .list(.object("station.Passenger"))),
        ("documents", .object("station.Documents")), ("extra", .map(.string, .int)), ("notes", .dyn),
    ])
    static let passenger = ObjectType(name: "station.Passenger", fields: [("id_number", .string), ("age", .int)])

    static let declarations = Declarations(
        variables: ["record": .object("station.Departure"), "now": .timestamp, "params": .map(.string, .dyn),
                    "limits.max_load": .int, "anything": .dyn],
        objectTypes: [routePlate, documents, departure, passenger],
        functions: [FunctionDecl(name: "station.daysBetween", overloads: [
            FunctionOverload(id: "days_between_timestamp_timestamp", parameters: [.timestamp, .timestamp], result: .int,
                             implementation: .binary { _, _ in .int(0) }),
        ])])

    private func check(_ text: String, _ decls: Declarations = CheckerTests.declarations) throws -> (CheckResult, ParsedExpression) {
        let parsed = try Parser.parse(Source(text, description: "rules.d/test.yaml", baseLine: 14, baseColumn: 11))
        return (Checker(declarations: decls).check(parsed), parsed)
    }

    // MARK: - Types of valid expressions

    func testTypesTable() throws {
        let table: [(String, CELType)] = [
            ("record.documents.route_plate.valid_to", .timestamp),
            ("record.documents.route_plate.valid_to < now", .bool),
            ("record.seats + 1", .int),
            ("record.extra.overload", .int),
            ("record.notes.anything.at.all", .dyn),
            ("params.max_speed", .dyn),
            ("anything.x + 1", .int),
            ("limits.max_load > record.seats", .bool),
            ("[1, 2, 3]", .list(.int)),
            ("[1, 'a']", .list(.dyn)),
            ("[]", .list(.dyn)),
            ("[[], [1]]", .list(.list(.int))),
            ("{'a': 1, 'b': 2}", .map(.string, .int)),
            ("{'a': 1, 2: 'b'}", .map(.dyn, .dyn)),
            ("record.passengers.map(p, p.age)", .list(.int)),
            ("record.passengers.filter(p, p.age < 18)", .list(.object("station.Passenger"))),
            ("record.passengers.exists(p, p.id_number.startsWith('11'))", .bool),
            ("record.extra.all(k, k.size() > 0)", .bool),
            ("[1, 2].transformList(i, v, i + v)", .list(.int)),
            ("{'a': 1}.transformMap(k, v, k + string(v))", .map(.string, .string)),
            ("has(record.documents.route_plate)", .bool),
            ("record.seats > 40 ? 'big' : 'small'", .string),
            ("type(1) == int", .bool),
            ("type(record) == station.Departure", .bool),
            ("dyn(1) == 1.0", .bool),
            ("size(record.passengers)", .int),
            ("station.daysBetween(now, record.documents.route_plate.valid_to) < 30", .bool),
            ("now.getHours('Asia/Shanghai')", .int),
            ("duration('1h').getMinutes()", .int),
            ("now - duration('24h')", .timestamp),
            ("optional.of(1).orValue(2)", .int),
            ("record.?seats", .optional(.int)),
            ("record.?documents.route_plate", .optional(.object("station.RoutePlate"))),
            ("[1][?0]", .optional(.int)),
            ("'a' in ['a', 'b'] && 1 in {1: 'x'}", .bool),
            ("1 < 2.5 && 2u >= 1", .bool),
        ]
        for (text, expected) in table {
            let (result, _) = try check(text)
            XCTAssertEqual(result.issues.map(\.message), [], text)
            XCTAssertEqual(result.resultType, expected, text)
        }
    }

    // MARK: - Rejections, with the exact text an admin sees

    func testIssuesTable() throws {
        let table: [(String, String)] = [
            ("record.seat_count > 40",
             "ERROR: rules.d/test.yaml:14:17: undefined field 'seat_count' on type 'station.Departure'\n | record.seat_count > 40\n | ......^"),
            ("record.documents.route_plate.valid_until < now",
             "ERROR: rules.d/test.yaml:14:39: undefined field 'valid_until' on type 'station.RoutePlate'\n | record.documents.route_plate.valid_until < now\n | ............................^"),
            ("recrod.seats > 40",
             "ERROR: rules.d/test.yaml:14:11: undeclared reference to 'recrod'\n | recrod.seats > 40\n | ^"),
            ("record.seats + 'x'",
             "ERROR: rules.d/test.yaml:14:24: found no matching overload for '_+_' applied to '(int, string)'\n | record.seats + 'x'\n | .............^"),
            ("record.plate.charAt(1)",
             "ERROR: rules.d/test.yaml:14:30: undeclared reference to 'charAt'\n | record.plate.charAt(1)\n | ...................^"),
            ("record.seats.startsWith('1')",
             "ERROR: rules.d/test.yaml:14:34: found no matching overload for 'startsWith' applied to 'int.(string)'\n | record.seats.startsWith('1')\n | .......................^"),
            ("record.seats.size",
             "ERROR: rules.d/test.yaml:14:23: type 'int' does not support field selection\n | record.seats.size\n | ............^"),
            ("record.seats.all(x, x > 1)",
             "ERROR: rules.d/test.yaml:14:17: expression of type 'int' cannot be range of a comprehension (must be list, map, or dynamic)\n | record.seats.all(x, x > 1)\n | ......^"),
            ("[1].map(x, x).exists(y, y)",
             "ERROR: rules.d/test.yaml:14:31: found no matching overload for '_||_' applied to '(bool, int)'\n | [1].map(x, x).exists(y, y)\n | ....................^"),
            ("station.daysBetween(now, 1) > 0",
             "ERROR: rules.d/test.yaml:14:30: found no matching overload for 'station.daysBetween' applied to '(google.protobuf.Timestamp, int)'\n | station.daysBetween(now, 1) > 0\n | ...................^"),
            ("[?record.seats]",
             "ERROR: rules.d/test.yaml:14:19: expected type 'optional_type(dyn)' but found 'int'\n | [?record.seats]\n | ........^"),
            ("1 == 1.0",
             "ERROR: rules.d/test.yaml:14:13: found no matching overload for '_==_' applied to '(int, double)'\n | 1 == 1.0\n | ..^"),
        ]
        for (text, expected) in table {
            let (result, _) = try check(text)
            XCTAssertEqual(result.issues.map(\.rendered), [expected], text)
            XCTAssertFalse(result.isValid, text)
        }
    }

    func testEveryMistakeIsReportedOnceAndInSourceOrder() throws {
        let (result, _) = try check("record.a + record.b + record.c")
        XCTAssertEqual(result.issues.map(\.message), [
            "undefined field 'a' on type 'station.Departure'",
            "undefined field 'b' on type 'station.Departure'",
            "undefined field 'c' on type 'station.Departure'",
        ])
    }

    func testIssuesAreCappedAt100() throws {
        let text = (0..<150).map { "u\($0)" }.joined(separator: " + ")
        let (result, _) = try check(text)
        XCTAssertEqual(result.issues.count, 100)
        XCTAssertEqual(result.issues.first?.message, "undeclared reference to 'u0'")
    }

    // MARK: - References for the planner

    func testReferences() throws {
        let (result, parsed) = try check("record.documents.route_plate.valid_to < now && limits.max_load > 1 && math.greatest(1, 2) > 0",
                                         Declarations(variables: CheckerTests.declarations.variables,
                                                      objectTypes: CheckerTests.declarations.objectTypes,
                                                      functions: Extensions.math))
        XCTAssertEqual(result.issues.map(\.message), [])
        var fields: [String] = []
        var variables: [String] = []
        var calls: [String] = []
        func walk(_ e: Expr) {
            switch result.references[e.id] {
            case .field(let t, let slot)?: fields.append("\(t.name)[\(slot)]=\(t.fields[slot].name)")
            case .variable(let name)?: variables.append(name)
            case .function(let name, let ids, let ns)?: calls.append("\(name)\(ns ? " (namespace)" : ""): \(ids.joined(separator: ","))")
            default: break
            }
            switch e.kind {
            case .select(let o, _, _): walk(o)
            case .call(let t, _, let args): if let t { walk(t) }; args.forEach(walk)
            default: break
            }
        }
        walk(parsed.expr)
        XCTAssertEqual(fields, ["station.RoutePlate[1]=valid_to", "station.Documents[0]=route_plate", "station.Departure[3]=documents"])
        XCTAssertEqual(Set(variables), ["record", "now", "limits.max_load"])
        XCTAssertTrue(calls.contains("math.greatest (namespace): math_greatest_int_int"), "\(calls)")
        XCTAssertTrue(calls.contains("_<_: less_timestamp"), "\(calls)")
    }

    func testQualifiedNameDoesNotCaptureComprehensionVariable() throws {
        // `limits` is a local here, so `limits.max_load` selects on it instead of the global.
        let (result, _) = try check("[{'max_load': 'x'}].all(limits, limits.max_load == 'x')")
        XCTAssertEqual(result.issues.map(\.message), [])
    }

    func testLeadingDotResolvesInTheRootScope() throws {
        // langdef: `.x` names the root-scope x, skipping comprehension variables.
        let table: [(String, CELType)] = [
            (".now", .timestamp),
            (".record.seats", .int),
            (".limits.max_load", .int),
            // The comprehension variable `record` is a string; `.record` is still the global.
            ("['a'].all(record, record.size() == 1 && .record.seats > 0)", .bool),
            ("['x'].map(limits, .limits.max_load)", .list(.int)),
        ]
        for (text, want) in table {
            let (result, _) = try check(text)
            XCTAssertEqual(result.issues.map(\.message), [], text)
            XCTAssertEqual(result.resultType, want, text)
        }
        let (result, _) = try check("[1].all(x, .x > 0)")
        XCTAssertEqual(result.issues.map(\.message), ["undeclared reference to '.x'"])
        let (dotted, parsed) = try check(".record")
        guard case .variable("record")? = dotted.references[parsed.expr.id] else {
            return XCTFail("`.record` should refer to the variable record: \(dotted.references)")
        }
    }

    // MARK: - Conformance subset

    /// Every line the upstream checker checks, typed against its `type_env` (or its bindings'
    /// types): valid expressions must check; an expected error may be rejected.
    func testConformanceSubsetIsAccepted() throws {
        let path = "/work/shared/cel/conformance-subset.jsonl"
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("no \(path)") }
        var checked = 0, rejectedErrors = 0, unparsed = 0
        var wronglyRejected: [String] = [], unexpanded: [String] = [], wrongTypes: [String] = []
        let functions = Extensions.all
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let test = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            if test["disable_check"] as? Bool == true { continue }
            let name = "\(test["file"]!)/\(test["section"]!)/\(test["name"]!)"
            var variables: [String: CELType] = [:]
            if let env = test["type_env"] as? [String: String] {
                for (k, v) in env { variables[k] = try TaggedValue.parseType(v) }
            } else if let bindings = test["bindings"] as? [String: Any] {
                for (k, v) in bindings { variables[k] = Self.bindingType(v) }
            }
            guard let parsed = try? Parser.parse(Source(test["expr"] as! String)) else { unparsed += 1; continue }
            // Macros the parser does not expand yet arrive as calls; they are not the checker's.
            if let macro = Self.unexpandedMacro(parsed.expr) { unexpanded.append("\(name): \(macro)"); continue }
            let result = Checker(declarations: Declarations(variables: variables, functions: functions)).check(parsed)
            checked += 1
            let expect = test["expect"] as? [String: Any]
            let expectsError = expect?["error"] != nil
            // The static type must admit the value the upstream runners expect.
            if result.issues.isEmpty, let value = expect?["value"],
               !Self.admits(result.resultType, Self.bindingType(value)) {
                wrongTypes.append("\(name): \(test["expr"]!): checked \(result.resultType), expected a \(Self.bindingType(value))")
            }
            if !result.issues.isEmpty {
                if expectsError { rejectedErrors += 1 } else {
                    wronglyRejected.append("\(name): \(test["expr"]!): \(result.issues.map(\.message))")
                }
            }
        }
        print("checker conformance: \(checked) checked, \(wronglyRejected.count) valid rejected, \(rejectedErrors) expected-error rejected, \(unparsed) unparsed, \(unexpanded.count) with unexpanded macros")
        for u in unexpanded { print("  unexpanded macro: \(u)") }
        XCTAssertGreaterThan(checked, 1400)
        XCTAssertEqual(wronglyRejected, [])
        XCTAssertEqual(wrongTypes, [])
    }

    /// Whether a value of the (container-erased) type `actual` may have static type `t`.
    static func admits(_ t: CELType, _ actual: CELType) -> Bool {
        switch (t, actual) {
        case (.dyn, _), (.error, _): return true
        case (.list, .list), (.map, .map), (.type, .type), (.optional, .optional): return true
        default: return t == actual
        }
    }

    /// Every expression of the subset, checked with nothing declared: issues, never a trap,
    /// and every reported issue lies inside the expression's text.
    func testCheckerSurvivesEveryExpressionUndeclared() throws {
        let path = "/work/shared/cel/conformance-subset.jsonl"
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("no \(path)") }
        let checker = Checker(declarations: Declarations())
        var rejected = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let test = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let text = test["expr"] as! String
            guard let parsed = try? Parser.parse(Source(text)) else { continue }
            let result = checker.check(parsed)
            if !result.isValid { rejected += 1 }
            XCTAssertLessThanOrEqual(result.issues.count, CheckerIssues.limit)
            for issue in result.issues {
                XCTAssertTrue(issue.offset >= 0 && issue.offset <= text.unicodeScalars.count, "\(text): \(issue.message)")
            }
        }
        // Lines with bindings or extension calls cannot check without declarations.
        XCTAssertGreaterThan(rejected, 0)
    }

    /// The name of a macro left as a call (`cel.bind`, `optMap`, `optFlatMap`), if any.
    static func unexpandedMacro(_ e: Expr) -> String? {
        switch e.kind {
        case .call(let target, let function, let args):
            if ["optMap", "optFlatMap"].contains(function), target != nil { return function }
            if function == "bind", case .ident("cel")? = target?.kind { return "cel.bind" }
            return (target.map { [$0] } ?? []).compactMap(unexpandedMacro).first ?? args.compactMap(unexpandedMacro).first
        case .select(let operand, _, _): return unexpandedMacro(operand)
        case .list(let elements, _): return elements.compactMap(unexpandedMacro).first
        case .map(let entries): return entries.compactMap { unexpandedMacro($0.key) ?? unexpandedMacro($0.value) }.first
        case .comprehension(let c):
            return [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].compactMap(unexpandedMacro).first
        default: return nil
        }
    }

    /// The static type of a tagged binding; containers are `dyn` inside.
    static func bindingType(_ tagged: Any) -> CELType {
        guard let obj = tagged as? [String: Any], let tag = obj.keys.first else { return .dyn }
        switch tag {
        case "null": return .null
        case "bool": return .bool
        case "int": return .int
        case "uint": return .uint
        case "double": return .double
        case "string": return .string
        case "bytes": return .bytes
        case "list": return .list(.dyn)
        case "map": return .map(.dyn, .dyn)
        case "timestamp": return .timestamp
        case "duration": return .duration
        case "type": return .type(.dyn)
        default: return .dyn
        }
    }
}
