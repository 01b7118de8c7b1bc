// Constant folding: conversions of literals are evaluated once, when planning; a literal
// that does not convert stays an evaluation error at its own call.
import XCTest
@testable import CEL

final class ConstantFoldingTests: XCTestCase {
    func testLiteralConversionsAreFoldedAtPlanTime() throws {
        let env = Environment()
        let cases: [(String, Value)] = [
            ("duration('24h')", .duration(CELDuration(seconds: 86_400))),
            ("timestamp('2026-11-29T00:00:00Z')", .timestamp(CELTimestamp(seconds: 1_795_910_400, nanos: 0))),
        ]
        for (text, expected) in cases {
            let program = try env.program(env.compile(Source(text)))
            let folded = try XCTUnwrap(program.root as? ConstNode, "\(text) is not folded")
            XCTAssertTrue(same(folded.value, expected), "\(text) folded to \(folded.value)")
            XCTAssertTrue(same(program.evaluate([:]), expected), text)
        }
    }

    func testBadLiteralConversionIsAnEvaluationErrorAtItsCall() throws {
        let env = Environment()
        let text = "1 < 2 && duration('24x') > duration('1h')"
        let program = try env.program(env.compile(Source(text)))
        guard case .error(let e) = program.evaluate([:]) else { return XCTFail("no error for \(text)") }
        XCTAssertEqual(e.message, "invalid duration '24x'")
        let at = try XCTUnwrap(program.location(of: e))
        XCTAssertEqual(at.line, 1)
        XCTAssertEqual(at.column, 18, "the error points at duration('24x')'s call")
    }

    private func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.duration(let x), .duration(let y)): return x == y
        case (.timestamp(let x), .timestamp(let y)): return x == y
        default: return false
        }
    }
}
