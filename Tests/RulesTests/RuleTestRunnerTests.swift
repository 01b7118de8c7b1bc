// Rule tests (promtool-style): merge patch, fires / not_fires / reviews, params, failures.
import XCTest
import Records
@testable import Rules

final class RuleTestRunnerTests: XCTestCase {
    func testRunnerCountsAndReportsFailures() throws {
        let s = Scratch()
        s.write("v/capacity.yaml", Fixtures.capacity)
        s.write("v/tests/records/departure-clean.json", Fixtures.departure)
        let testFile = s.write("v/tests/capacity.test.yaml", Fixtures.capacityTests)
        let g = try loadRules([s.path("v")])
        let dirs = RuleTestRunner.testDirectories(of: RuleLayers(directories: [s.path("v")]))
        XCTAssertEqual(dirs, [s.path("v/tests")])
        let report = RuleTestRunner(generation: g).run(directories: dirs)
        // 3 good tests + the clean base record check pass; the wrong one fails at its line.
        XCTAssertEqual(report.summary, "4 passed, 1 failed")
        XCTAssertEqual(report.failures.map(\.description), [
            "\(testFile):16: test 'this expectation is wrong on purpose': T-001 did not fire; alerts: none",
        ])
    }

    func testBadTestFileIsReported() throws {
        let s = Scratch()
        s.write("v/capacity.yaml", Fixtures.capacity)
        s.write("v/tests/records/departure-clean.json", Fixtures.departure)
        let f = s.write("v/tests/capacity.test.yaml", """
        ruleset: capacity
        tests:
          - name: typo
            base: departure-clean.json
            fire: [T-001]
            not_fires: [T-999]
        """)
        let report = RuleTestRunner(generation: try loadRules([s.path("v")])).run(directories: [s.path("v/tests")])
        XCTAssertEqual(report.issues.map(\.summary), [
            "\(f):5:5: unknown key 'fire' in test 'typo' (allowed: name, base, patch, trip, fires, not_fires, reviews, params)",
            "\(f):6:17: test 'typo': not_fires: unknown rule 'T-999'",
        ])
        // The clean base record passes; the one test fails (twice wrong, counted once).
        XCTAssertEqual(report.summary, "1 passed, 1 failed")
    }

    func testMergePatch() throws {
        let base = try JSONParser.parse(Array(#"{"a": 1, "b": {"c": 2, "d": 3}, "e": [1]}"#.utf8))
        let patch = try JSONParser.parse(Array(#"{"a": null, "b": {"c": 5, "x": {"y": null, "z": 1}}, "e": [2]}"#.utf8))
        XCTAssertEqual(base.mergePatched(with: patch).jsonText, #"{"b":{"c":5,"d":3,"x":{"z":1}},"e":[2]}"#)
    }
}
