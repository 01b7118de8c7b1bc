// BudgetTests: string and list work spends the evaluation budget before it is done, and
// substring search is linear (and still counts code points, not bytes).

import Foundation
import XCTest
@testable import CEL

final class BudgetTests: XCTestCase {

    let env = Environment(declarations: Declarations(variables: ["s": .string, "t": .string], functions: Extensions.all))

    /// Evaluates `text` with an activation, returning the value and the budget left.
    private func run(_ text: String, s: String = "", t: String = "", costLimit: Int = 100_000,
                     file: StaticString = #filePath, line: UInt = #line) -> (Value, Int) {
        do {
            let p = try env.program(try env.compile(Source(text)), options: ProgramOptions(costLimit: costLimit))
            let act = p.makeActivation()
            act.bind("s", .string(s))
            act.bind("t", .string(t))
            let v = p.evaluate(act)
            return (v, act.budget)
        } catch {
            XCTFail("\(text): \(error)", file: file, line: line)
            return (.error(EvalError("compile failed")), 0)
        }
    }

    private func assertCostLimit(_ v: Value, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard case .error(let e) = v else { return XCTFail("\(what): expected an error, got \(v)", file: file, line: line) }
        XCTAssertTrue(e.message.contains("cost limit exceeded"), "\(what): \(e.message)", file: file, line: line)
    }

    // MARK: - Growth is charged before it is built

    func testChainedReplaceStopsAtTheBudget() {
        // Each replace multiplies the length by 4: 13 of them would build 256 MiB.
        for chain in [12, 13] {
            let text = "size('aaaa'" + String(repeating: ".replace('a', 'aaaa')", count: chain) + ")"
            let started = Date()
            let (v, left) = run(text)
            assertCostLimit(v, "\(chain) replaces")
            XCTAssertLessThan(left, 0, "the failing call spent past the limit")
            // Generous: the refused 64 MiB / 256 MiB result is never built (before the fix,
            // 12 replaces took 9 s and 13 took 54 s in a debug build).
            XCTAssertLessThan(Date().timeIntervalSince(started), 30)
        }
        // Small replaces stay free and exact.
        let (v, left) = run("size('aaaa'" + String(repeating: ".replace('a', 'aa')", count: 5) + ")")
        XCTAssertTrue(TaggedValue.matches(v, expected: .int(128)), "\(v)")
        XCTAssertEqual(left, 100_000)
    }

    func testReplaceRefusesBeforeBuilding() {
        // 1 MiB of 'a' → 4 MiB: the result (4,096 units) is charged before it is built, so
        // a budget of 2,000 returns nil with the budget spent, and nothing is allocated.
        let s = String(repeating: "a", count: 1 << 20)
        var budget = 2_000
        XCTAssertNil(Extensions.replace(s, "a", "aaaa", limit: -1, budget: &budget))
        XCTAssertEqual(budget, 2_000 - 4_096)
        budget = 10_000
        let out = Extensions.replace(s, "a", "aaaa", limit: -1, budget: &budget)
        XCTAssertEqual(out?.utf8.count, 4 << 20)
        XCTAssertEqual(budget, 10_000 - 4_096)
        // Limits and empty `old` are counted the same way as they are built.
        budget = .max
        XCTAssertEqual(Extensions.replace("北京北站", "北", "南", limit: 1, budget: &budget), "南京北站")
        XCTAssertEqual(Extensions.replace("北京", "", "-", limit: -1, budget: &budget), "-北-京-")
        XCTAssertEqual(Extensions.replace("北京", "", "-", limit: 2, budget: &budget), "-北-京")
        XCTAssertEqual(Extensions.replace("北京", "上海", "-", limit: -1, budget: &budget), "北京")
    }

    func testJoinAndSplitChargeTheirResults() {
        // 2,000 items joined by a 64 KiB separator: 125 MiB, refused before it is built.
        let big = String(repeating: "-", count: 64 << 10)
        let (v, _) = run("[" + Array(repeating: "'x'", count: 2_000).joined(separator: ",") + "].join(t)", t: big)
        assertCostLimit(v, "join")
        // Splitting 1 MiB into a million pieces costs its scan and the list (1,024 + 1,024).
        let (pieces, left) = run("size(s.split(''))", s: String(repeating: "a", count: 1 << 20))
        XCTAssertTrue(TaggedValue.matches(pieces, expected: .int(1 << 20)), "\(pieces)")
        XCTAssertEqual(left, 100_000 - 2_048)
    }

    // MARK: - Search is linear and metered

    func testWorstCaseSearchIsLinearAndCharged() {
        // The naive search's worst case: 'aaa…a' for 'aa…ab'. 1 MiB (the largest record
        // string) scans once: 1,024 units, and the answer is exact.
        let n = 1 << 20
        let s = String(repeating: "a", count: n), t = String(repeating: "a", count: n / 2) + "b"
        let started = Date()
        for text in ["s.indexOf(t)", "s.lastIndexOf(t)"] {
            let (v, left) = run(text, s: s, t: t)
            XCTAssertTrue(TaggedValue.matches(v, expected: .int(-1)), "\(text): \(v)")
            XCTAssertEqual(left, 100_000 - 1_024, text)
        }
        let (c, left) = run("s.contains(t)", s: s, t: t)
        XCTAssertTrue(TaggedValue.matches(c, expected: .bool(false)), "\(c)")
        XCTAssertEqual(left, 100_000 - 1_024)
        let (found, _) = run("s.indexOf(t.substring(1))", s: s, t: t)
        XCTAssertTrue(TaggedValue.matches(found, expected: .int(-1)))
        let (hit, _) = run("(s + 'b').indexOf(t)", s: s, t: t)
        XCTAssertTrue(TaggedValue.matches(hit, expected: .int(Int64(n - n / 2))), "\(hit)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "linear scans of a few MiB")
        // Rescanning it in a loop runs out: 10 scans × 1,024 units > 5,000 (the default
        // 100,000 stops the same loop after 97 MiB scanned).
        let loop = "[" + (1...10).map(String.init).joined(separator: ",") + "]"
        for text in ["\(loop).all(i, s.indexOf(t) < 0)", "\(loop).all(i, !s.contains(t))",
                     "\(loop).all(i, !s.matches('b'))", "\(loop).all(i, size(s) > 0)",
                     "\(loop).all(i, s == s)", "\(loop).all(i, s >= s)", "\(loop).all(i, s.startsWith(s))"] {
            let (v, left) = run(text, s: s, t: t, costLimit: 5_000)
            assertCostLimit(v, text)
            // One unit and one scan per iteration; the fifth scan overdraws, and the sixth
            // iteration's unit (the error does not decide `all`) finds the budget spent.
            XCTAssertEqual(left, 5_000 - 5 * 1_025 - 1, text)
        }
    }

    func testMembershipInLongListsIsCharged() {
        let (v, left) = run("[1, 2].map(i, '7' in t.split('')).all(x, !x)", t: String(repeating: "a", count: 4_096))
        XCTAssertTrue(TaggedValue.matches(v, expected: .bool(true)), "\(v)")
        // Per call: split's scan (4) and list (4), then `in` scans 4,096 elements (4) and
        // compares a byte of each (4); two iterations of map, two of all.
        XCTAssertEqual(left, 100_000 - 2 * 16 - 4)
    }

    // MARK: - Walks over values that share structure

    /// `cel.bind(a0, 1, cel.bind(a1, {'k': a0, 'j': a0}, … tail(a_n)))`: n binds build a
    /// value whose tree has 2^n leaves (each level holds the one below twice).
    private func shared(_ n: Int, list: Bool = false, _ tail: (String) -> String) -> String {
        var text = tail("a\(n)")
        for i in stride(from: n, through: 1, by: -1) {
            let below = "a\(i - 1)"
            let level = list ? "[\(below), \(below)]" : "{'k': \(below), 'j': \(below)}"
            text = "cel.bind(a\(i), \(level), \(text))"
        }
        return "cel.bind(a0, 1, \(text))"
    }

    func testDeepWalksOverSharedValuesStopAtTheBudget() {
        // Before the walks were metered, `a == a` at n = 22 took 2.3 s in a debug build
        // and n = 30 minutes; each of these opens 2^30 containers unless stopped.
        let shapes: [(String, String)] = [
            ("map ==", shared(30) { "\($0) == \($0)" }),
            ("map !=", shared(30) { "\($0) != \($0)" }),
            ("list ==", shared(30, list: true) { "\($0) == \($0)" }),
            ("in list", shared(30) { "\($0) in [\($0)]" }),
            ("optional ==", shared(30) { "optional.of(\($0)) == optional.of(\($0))" }),
            ("%s of a map", shared(30) { "'%s'.format([\($0)]) == ''" }),
            ("%s of a list", shared(30, list: true) { "'%s'.format([\($0)]) == ''" }),
        ]
        for (what, text) in shapes {
            let (v, left) = run(text)
            assertCostLimit(v, what)
            XCTAssertLessThan(left, 0, "\(what): the walk spent the whole budget before stopping")
        }
    }

    func testDeepEqualityChargesEveryNestedContainer() {
        // n = 10: 2^10 - 1 maps of two entries each (2 per entry), 2^10 - 2 of them
        // nested (1,024 each, one budget unit): 1,048,574 walk units, 1,023 budget units.
        let (v, left) = run(shared(10) { "\($0) == \($0)" })
        XCTAssertTrue(TaggedValue.matches(v, expected: .bool(true)), "\(v)")
        XCTAssertEqual(left, 100_000 - (2 * 1_023 + 1_024 * 1_022) / 1_024)
        // The same walk with a budget one unit short stops, one unit past the limit.
        let (w, short) = run(shared(10) { "\($0) == \($0)" }, costLimit: 1_022)
        assertCostLimit(w, "one unit short")
        XCTAssertLessThan(short, 0)
        // A flat list costs its elements and their bytes, no container: each split scans
        // and builds 2,048 (2 + 2 units), the comparison 2,048 elements of one byte (4).
        let (x, flat) = run("s.split('') == s.split('')", s: String(repeating: "a", count: 2_048))
        XCTAssertTrue(TaggedValue.matches(x, expected: .bool(true)), "\(x)")
        XCTAssertEqual(flat, 100_000 - 2 * (2 + 2) - 4)
    }

    func testMeteredEqualityKeepsItsMeaning() {
        // Numbers across kinds, NaN, kind and size mismatches, code-point strings, nested.
        let cases: [(String, Bool)] = [
            ("[1, [2u], {'a': [3.0]}] == [1.0, [2], {'a': [3]}]", true),
            ("[[0.0 / 0.0]] == [[0.0 / 0.0]]", false),
            ("{'a': [1, 2]} == {'a': [1, 2, 3]}", false),
            ("{'a': [1]} == {'b': [1]}", false),
            ("[['\\u00e9']] == [['e\\u0301']]", false),
            ("[optional.of([1])] == [optional.of([1])]", true),
            ("[optional.none()] == [optional.of(1)]", false),
            ("[[1]] in [[[2]], [[1]]]", true),
            ("[b'ab'] in [[b'ab', b'c']]", false),
            ("'%s'.format([[1, [2], {'b': 'x', 'a': [true]}]]) == \"[1, [2], {a: [true], b: x}]\"", true),
        ]
        for (text, expected) in cases {
            let (v, _) = run(text)
            XCTAssertTrue(TaggedValue.matches(v, expected: .bool(expected)), "\(text): \(v)")
        }
    }

    func testHostEqualityIsNotMetered() {
        // Hosts compare values they built; `celEquals(_:)` walks to the end.
        var v = Value.int(1)
        for _ in 0..<12 { v = .map(try! MapValue(pairs: [(.string("k"), v), (.string("j"), v)])) }
        XCTAssertTrue(v.celEquals(v))
        var budget = 3
        XCTAssertNil(v.celEquals(v, budget: &budget))
        XCTAssertLessThan(budget, 0)
    }

    // MARK: - Code points, not bytes

    func testSearchCountsCodePointsInCJKText() {
        let cases: [(String, Value)] = [
            ("'北京南站北京西站'.indexOf('北京')", .int(0)),
            ("'北京南站北京西站'.indexOf('北京', 1)", .int(4)),
            ("'北京南站北京西站'.indexOf('西站')", .int(6)),
            ("'北京南站北京西站'.lastIndexOf('北京')", .int(4)),
            ("'北京南站北京西站'.lastIndexOf('北京', 3)", .int(0)),
            ("'北京南站北京西站'.lastIndexOf('北京', 4)", .int(4)),
            ("'北京南站北京西站'.indexOf('上海')", .int(-1)),
            ("'粤A·12345'.indexOf('12')", .int(3)),
            ("'粤A·12345'.lastIndexOf('')", .int(8)),
            ("'a😀b😀c'.lastIndexOf('😀', 2)", .int(1)),
            ("'a😀b😀c'.indexOf('😀', 2)", .int(3)),
            ("'北京南站'.contains('南站')", .bool(true)),
            ("'北京南站'.contains('京站')", .bool(false)),
            ("'上海北京北广州'.split('北')", .list([.string("上海"), .string("京"), .string("广州")])),
            ("'上海北京北广州'.split('北', 2)", .list([.string("上海"), .string("京北广州")])),
            ("'北京'.split('')", .list([.string("北"), .string("京")])),
            ("'北京北站'.replace('北', '南')", .string("南京南站")),
        ]
        for (text, want) in cases {
            let (v, _) = run(text)
            XCTAssertTrue(TaggedValue.matches(v, expected: want), "\(text): got \(v), want \(want)")
        }
        let (e, _) = run("'北京'.indexOf('京', 2)")
        guard case .error(let err) = e else { return XCTFail("offset past the last code point must be an error") }
        XCTAssertTrue(err.message.contains("index out of range: 2"), err.message)
    }

    func testSearchAgreesWithANaiveScalarSearch() {
        // Random short strings over a small alphabet of 1- to 4-byte code points, so borders,
        // overlaps and partial multi-byte matches are common.
        let alphabet: [Unicode.Scalar] = ["a", "b", "北", "京", "😀"]
        var rng = SeededGenerator(seed: 20_261_129)
        func random(_ maxLength: Int) -> [Unicode.Scalar] {
            (0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
        }
        func text(_ v: [Unicode.Scalar]) -> String { String(String.UnicodeScalarView(v)) }
        for _ in 0..<2_000 {
            let h = random(12), n = random(3)
            let hs = text(h), ns = text(n)
            var firstNaive = -1, lastNaive = -1
            if n.count <= h.count {
                for i in 0...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n {
                    if firstNaive < 0 { firstNaive = i }
                    lastNaive = i
                }
            }
            XCTAssertTrue(TaggedValue.matches(Extensions.indexOf(hs, ns, from: nil), expected: .int(Int64(firstNaive))), "\(hs) \(ns)")
            XCTAssertTrue(TaggedValue.matches(Extensions.lastIndexOf(hs, ns, atOrBefore: nil),
                                              expected: .int(Int64(n.isEmpty ? h.count : lastNaive))), "\(hs) \(ns)")
            if !h.isEmpty {
                let off = Int.random(in: 0..<h.count, using: &rng)
                var fromNaive = -1
                if !n.isEmpty, n.count <= h.count, off <= h.count - n.count {
                    for i in off...(h.count - n.count) where Array(h[i..<(i + n.count)]) == n { fromNaive = i; break }
                }
                XCTAssertTrue(TaggedValue.matches(Extensions.indexOf(hs, ns, from: Int64(off)),
                                                  expected: .int(Int64(n.isEmpty ? off : fromNaive))), "\(hs) \(ns) \(off)")
            }
            var budget = Int.max
            let viaSplit = Extensions.split(hs, ns, limit: -1, budget: &budget)
            if !n.isEmpty {
                // Split then join is the identity; replace is split joined by the new text.
                XCTAssertEqual(viaSplit?.joined(separator: ns), hs)
                XCTAssertEqual(Extensions.replace(hs, ns, "-", limit: -1, budget: &budget), viaSplit?.joined(separator: "-"))
            }
        }
    }
}

/// SplitMix64: reproducible random test data.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
