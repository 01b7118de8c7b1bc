// EngineBenchmarkTests: opt-in per-evaluation timings beside the peer harness's.

import Dispatch
import Foundation
import XCTest
import CEL

/// Per-evaluation time of the peer harness's three rule expressions (peer_eval.py
/// `--builtin`), for comparison with the Rust-backed peer's `eval_ctx_us`. Opt-in, and only
/// meaningful in release builds:
///   CEL_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter EngineBenchmarkTests
final class EngineBenchmarkTests: XCTestCase {

    struct Case {
        var name: String
        var expr: String
        var declarations: Declarations
        var bindings: [String: Value]
        var expected: Value
    }

    static func map(_ pairs: [(String, Value)]) -> Value {
        .map(try! MapValue(pairs: pairs.map { (.string($0.0), $0.1) }))
    }

    static var cases: [Case] {
        let items: [Value] = [("clothing", 3.5), ("electronics", 1.2), ("food", 0.8), ("documents", 0.2), ("toiletries", 0.6)]
            .enumerated().map { map([("id", .int(Int64($0.offset + 1))), ("category", .string($0.element.0)), ("weight_kg", .double($0.element.1))]) }
        let vehicle = ObjectType(name: "station.Vehicle", fields: [("passengers_on_board", .int), ("approved_seats", .int)])
        let dyn = Declarations(variables: ["v": .map(.string, .dyn), "l": .map(.string, .dyn), "d": .map(.string, .dyn)])
        return [
            Case(name: "a_compare_fields", expr: "v.passengers_on_board > v.approved_seats", declarations: dyn,
                 bindings: ["v": map([("passengers_on_board", .int(52)), ("approved_seats", .int(50))])], expected: .bool(true)),
            Case(name: "b_exists_in_list", expr: "l.items.exists(i, i.category in ['explosive','flammable','corrosive','toxic'])",
                 declarations: dyn, bindings: ["l": map([("items", .list(items))])], expected: .bool(false)),
            Case(name: "c_or_timestamp",
                 expr: "d.alcohol_mg_per_100ml >= 20.0 || d.continuous_driving_minutes > 240 || timestamp(d.licence_expires) < timestamp('2026-11-29T00:00:00Z')",
                 declarations: dyn,
                 bindings: ["d": map([("alcohol_mg_per_100ml", .double(12.5)), ("continuous_driving_minutes", .int(200)),
                                      ("licence_expires", .string("2027-03-01T00:00:00Z"))])], expected: .bool(false)),
            Case(name: "a_object_fields", expr: "v.passengers_on_board > v.approved_seats",
                 declarations: Declarations(variables: ["v": .object("station.Vehicle")], objectTypes: [vehicle]),
                 bindings: ["v": .object(ObjectValue(type: vehicle, fields: [.int(52), .int(50)]))], expected: .bool(true)),
        ]
    }

    /// Best of five timed runs, in nanoseconds per call.
    static func time(_ n: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<5 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<n { body() }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(n))
        }
        return best
    }

    func testRuleExpressionSpeed() throws {
        guard ProcessInfo.processInfo.environment["CEL_BENCH"] != nil else { throw XCTSkip("set CEL_BENCH=1 (release build)") }
        for c in Self.cases {
            let env = Environment(declarations: c.declarations)
            let program = try env.program(try env.compile(Source(c.expr)))
            let activation = program.makeActivation()
            for (k, v) in c.bindings { activation.bind(k, v) }
            var result = program.evaluate(activation)
            XCTAssertTrue(TaggedValue.matches(result, expected: c.expected), "\(c.name): \(result)")
            let reused = Self.time(200_000) { result = program.evaluate(activation) }
            let fresh = Self.time(200_000) {
                let a = program.makeActivation()
                for (k, v) in c.bindings { a.bind(k, v) }
                result = program.evaluate(a)
            }
            let compile = Self.time(2_000) { _ = try? env.program(try env.compile(Source(c.expr))) }
            print(String(format: "%@: %.0f ns/eval (reused activation), %.0f ns/eval (fresh activation), %.1f us compile+plan",
                         c.name, reused, fresh, compile / 1000))
        }
    }
}
