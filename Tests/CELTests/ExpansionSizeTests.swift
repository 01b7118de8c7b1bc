// ExpansionSizeTests: macro expansion grows linearly with the source, and the node cap.

import XCTest
@testable import CEL

/// Macros must not copy their arguments: a chain of n `optMap` calls once expanded to 2^n
/// nodes and hung the parser (fuzz/regressions/*-timeout-*). These tests count nodes, not
/// seconds, so a slow shared machine cannot make them pass or fail.
final class ExpansionSizeTests: XCTestCase {

    let env = Environment(declarations: Declarations(variables: ["o": .optional(.int), "s": .string], functions: Extensions.all))

    private func nodeCount(_ text: String, options: ParserOptions = ParserOptions()) throws -> Int {
        try Parser.parse(Source(text), options: options).offsets.count - 1
    }

    private func chain(_ n: Int, _ call: String = ".optMap(y, y + 1)", from start: String = "optional.of(0)") -> String {
        start + String(repeating: call, count: n)
    }

    /// fuzz/regressions/, found from this file's path.
    static func regressionSeeds() throws -> [(name: String, text: String)] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fuzz/regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.map { ($0, String(decoding: try Data(contentsOf: dir.appendingPathComponent($0)), as: UTF8.self)) }
    }

    func testEachOptMapAddsAFixedNumberOfNodes() throws {
        for call in [".optMap(y, y + 1)", ".optFlatMap(y, optional.of(y + 1))"] {
            let one = try nodeCount(chain(1, call)) - nodeCount(chain(0, call))
            let thirtieth = try nodeCount(chain(30, call)) - nodeCount(chain(29, call))
            XCTAssertEqual(thirtieth, one, call)
            XCTAssertLessThan(one, 25, call)
        }
    }

    func testDeepOptMapChainKeepsItsMeaningAndType() throws {
        let deep = chain(30)
        let checked = try env.compile(Source(deep + ".value()"))
        XCTAssertEqual(checked.resultType, .int)
        XCTAssertTrue(TaggedValue.matches(try env.program(checked).evaluate([:]), expected: .int(30)))

        let flat = chain(30, ".optFlatMap(y, y < 20 ? optional.of(y + 1) : optional.none())")
        let flatChecked = try env.compile(Source(flat + ".orValue(-1)"))
        XCTAssertTrue(TaggedValue.matches(try env.program(flatChecked).evaluate([:]), expected: .int(-1)))
        let stopsAt20 = chain(20, ".optFlatMap(y, y < 20 ? optional.of(y + 1) : optional.none())") + ".orValue(-1)"
        XCTAssertTrue(TaggedValue.matches(try env.program(try env.compile(Source(stopsAt20))).evaluate([:]), expected: .int(20)))

        // The target is evaluated once and the bound name stays visible in nested bodies.
        let nested = "o.optFlatMap(x, optional.of(x * 10).optMap(y, x + y)).orValue(0)"
        let p = try env.program(try env.compile(Source(nested)))
        XCTAssertTrue(TaggedValue.matches(p.evaluate(["o": .optional(.int(4))]), expected: .int(44)))
        XCTAssertTrue(TaggedValue.matches(p.evaluate(["o": .optional(nil)]), expected: .int(0)))
    }

    func testOptMapOnANonOptionalIsStillATypeError() {
        XCTAssertThrowsError(try env.compile(Source("s.optMap(y, y + 'x')"))) { error in
            XCTAssertTrue("\(error)".contains("hasValue"), "\(error)")
        }
    }

    func testFuzzerTimeoutsNowFinishSmall() throws {
        let seeds = try Self.regressionSeeds()
        XCTAssertGreaterThanOrEqual(seeds.count, 2)
        for (name, text) in seeds {
            let source = Source(text)
            do {
                let parsed = try env.parse(source)
                XCTAssertLessThan(parsed.offsets.count, 16 * source.scalars.count, name)
                let program = try env.program((try? env.check(parsed)) ?? CheckedExpression(unchecked: parsed))
                _ = program.evaluate(["o": .optional(.int(1)), "s": .string("x")])
            } catch let e as CompileError {
                // A parse error is a fine outcome; it must name a position in the input.
                XCTAssertFalse(e.issues.isEmpty, name)
                XCTAssertTrue(e.issues.allSatisfy { $0.offset >= 0 && $0.offset <= source.scalars.count }, name)
            }
        }
    }

    func testMapsKeyedByMapsAreRejectedBeforeTheirTypesDouble() throws {
        // `cel.bind(a1, {a0: a0}, ...)` nested 30 deep once had a type of 2^30 nodes.
        let n = 30
        let text = "cel.bind(a0, 1, " + (1...n).map { "cel.bind(a\($0), {a\($0 - 1): a\($0 - 1)}, " }.joined()
            + "size(a\(n))" + String(repeating: ")", count: n + 1)
        XCTAssertThrowsError(try env.compile(Source(text))) { error in
            guard let e = error as? CompileError else { return XCTFail("\(error)") }
            // Each level from a2 on is reported, its key type cut to *error* below: linear.
            XCTAssertEqual(e.issues.count, n - 1)
            XCTAssertEqual(e.issues.first?.message, "unsupported map key type 'map(int, int)' (must be bool, int, uint or string)")
        }
        XCTAssertNoThrow(try env.compile(Source("{'k': {1: {true: 2u}}}")))
    }

    /// Level i binds a fresh parameter P_i (the type of `[][0]`) to the type of a(i-1), and
    /// a(i) is `{k_i: a(i-1)}`: map(P_i, T(i-1)), so T(i) has 2^i nodes once substituted.
    static func parameterDoubling(_ n: Int) -> String {
        var text = "cel.bind(a0, 1, "
        for i in 1...n { text += "cel.bind(k\(i), [][0], cel.bind(a\(i), {k\(i): a\(i - 1)}, (k\(i) == a\(i - 1)) && " }
        return text + "size(a\(n)) == 0" + String(repeating: "))", count: n) + ")"
    }

    func testTypeWalksAreMeteredSoParameterChainsStop() throws {
        // Small: types of 2^8 nodes check well within the limit (and fail on the map key only at run time).
        XCTAssertNoThrow(try env.compile(Source(Self.parameterDoubling(8))))
        for n in [16, 30] {
            XCTAssertThrowsError(try env.compile(Source(Self.parameterDoubling(n)))) { error in
                guard let e = error as? CompileError else { return XCTFail("\(error)") }
                XCTAssertTrue(e.issues.contains { $0.message.contains("expression too complex to type-check") },
                              String(e.description.prefix(300)))
                // Types in messages are cut at CELType.descriptionLimit characters.
                XCTAssertTrue(e.issues.allSatisfy { $0.message.count < 3 * CELType.descriptionLimit })
            }
        }
        let wide = CELType.map(.int, .int)
        var t = wide
        for _ in 0..<20 { t = .map(t, t) }
        // The limit, overshot by at most one name, and the ellipsis.
        XCTAssertTrue((CELType.descriptionLimit...CELType.descriptionLimit + 30).contains(t.description.count), "\(t.description.count)")
        XCTAssertTrue(t.description.hasSuffix("…"))
        XCTAssertEqual(CELType.map(.string, .list(.optional(.int))).description, "map(string, list(optional_type(int)))")
    }

    func testNodeCapStopsParsingWithAPosition() throws {
        var options = ParserOptions()
        options.maxNodes = 100
        let big = "[" + Array(repeating: "1", count: 150).joined(separator: ", ") + "]"
        XCTAssertThrowsError(try Parser.parse(Source(big), options: options)) { error in
            guard let e = error as? CompileError else { return XCTFail("\(error)") }
            XCTAssertTrue(e.issues[0].message.contains("expression too large"), e.issues[0].message)
            // The 101st node is the 101st element, at offset 1 + 3 × 100: parsing stopped there.
            XCTAssertEqual(e.issues[0].offset, 301)
        }
        // Map entries count too, and macro expansion is counted as it happens.
        let map = "{" + (1...60).map { "\($0): 0" }.joined(separator: ", ") + "}"
        XCTAssertThrowsError(try Parser.parse(Source(map), options: options))
        XCTAssertThrowsError(try Parser.parse(Source(chain(10)), options: options))
        XCTAssertNoThrow(try Parser.parse(Source(chain(3)), options: options))
        // The default admits the longest flat list the source limit allows (49,999 elements,
        // 50,000 nodes) and stops 4,000 optMap calls (about 16 nodes each) in one list.
        XCTAssertEqual(ParserOptions().maxNodes, 50_000)
        XCTAssertEqual(try nodeCount("[" + String(repeating: "1,", count: 49_998) + "1]"), 50_000)
        let huge = "[" + Array(repeating: "o.optMap(y, y)", count: 4_000).joined(separator: ",") + "]"
        XCTAssertThrowsError(try Parser.parse(Source(huge))) { error in
            XCTAssertTrue("\(error)".contains("expression too large"), "\(error)".prefix(200) + "")
        }
    }
}
