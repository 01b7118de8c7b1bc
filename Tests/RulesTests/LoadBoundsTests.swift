// Load bounds (issue 9, finding 1): a rule or config file is refused before it costs more
// than its size: over 1 MiB, anchors/aliases (the "billion laughs" bomb), deep nesting.
import XCTest
@testable import Rules

final class LoadBoundsTests: XCTestCase {
    /// The attack's file: a 7-level alias bomb in a `params` default (9^7 = 4.8 million
    /// strings when expanded; it grew `rules check` to 8 GB before).
    static func aliasBomb(levels: Int = 7) -> String {
        var lines = ["ruleset: bomb", "params:", "  l0: {default: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]}"]
        for level in 1..<levels {
            let alias = "*l\(level - 1)"
            lines.append("  l\(level): {default: &l\(level) [\(Array(repeating: alias, count: 9).joined(separator: ","))]}")
        }
        lines.append("rules:")
        lines.append("  - {id: B-001, title: t, kind: driver, when: 'true', severity: notice, action: WARN, message: m}")
        return lines.joined(separator: "\n") + "\n"
    }

    func testAliasBombIsRefusedAtTheFirstAnchor() {
        let s = Scratch()
        let path = s.write("v/bomb.yaml", LoadBoundsTests.aliasBomb())
        print("tried: a \(LoadBoundsTests.aliasBomb().utf8.count)-byte rule file with a 7-level alias bomb")
        let issues = loadIssues([s.path("v")])
        XCTAssertEqual(issues.map(\.summary), [
            "\(path):3:17: YAML anchor '&l0': anchors and aliases are not allowed in rule and config files (write the value out)",
        ])
    }

    func testAliasWithoutAnchorIsAnError() {
        let s = Scratch()
        let path = s.write("v/alias.yaml", "ruleset: alias\nrules: *nothing\n")
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary).first.map { $0.hasPrefix("\(path):2:8: ") }, true)
    }

    func testOversizedRuleFileIsRefusedUnread() {
        let s = Scratch()
        // Valid YAML, a comment padding it past 1 MiB: refused on its size alone.
        let text = Fixtures.capacity + "#" + String(repeating: "x", count: YAMLDocument.sizeLimit) + "\n"
        let path = s.write("v/capacity.yaml", text)
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary), [
            "\(path): the file is \(text.utf8.count) bytes, over the limit of 1048576 bytes (1 MiB) for rule and config files; not read",
        ])
    }

    func testDeepNestingIsRefused() {
        let s = Scratch()
        func nested(_ depth: Int) -> String {
            "ruleset: deep\nrules: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        }
        let path = s.write("v/deep.yaml", nested(100))
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary), [
            "\(path):2:71: YAML nesting deeper than 64 levels of lists and mappings",
        ])
        // Deeper than libyaml's own limit (1,000): its syntax error comes first, as good.
        _ = s.write("v/deep.yaml", nested(100_000))
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary), [
            "\(path):2:9: YAML syntax: Maximum nesting level reached, set with yaml_set_max_nest_level()) (while parsing)",
        ])
    }

    func testConfigFileHasTheSameBounds() throws {
        let s = Scratch()
        let path = s.write("stationguard.yaml", "station_code: &c GZ-01\nlanguage: zh\n")
        XCTAssertThrowsError(try StationConfig.load(path: path)) { error in
            XCTAssertEqual((error as? RuleLoadError)?.issues.map(\.summary),
                           ["\(path):1:15: YAML anchor '&c': anchors and aliases are not allowed in rule and config files (write the value out)"])
        }
        let big = s.write("big.yaml", "station_code: GZ-01\n#" + String(repeating: "x", count: 2 << 20) + "\n")
        XCTAssertThrowsError(try StationConfig.load(path: big)) { error in
            XCTAssertEqual((error as? RuleLoadError)?.issues.first?.message.hasPrefix("the file is 2097174 bytes, over the limit"), true)
        }
    }

    /// A file just inside the size limit holding thousands of broken rules: every problem is
    /// counted, the first 100 listed (stderr and the rules-rejected event's SG_ISSUES stay
    /// small), and loading it costs about what a good one does (timed in the closing figures,
    /// not here).
    func testThousandsOfBrokenRulesAreCountedAndTheListIsCapped() throws {
        let s = Scratch()
        var text = "ruleset: many\nrules:\n"
        var count = 0
        while text.utf8.count < YAMLDocument.sizeLimit - 200 {
            text += "  - {id: M-\(count), title: t, kind: departure, when: 'record.nosuchfield > \(count)', severity: error, action: HOLD, message: m}\n"
            count += 1
        }
        _ = s.write("v/many.yaml", text)
        let began = Date()
        do {
            _ = try loadRules([s.path("v")])
            XCTFail("the load should have failed")
        } catch let error as RuleLoadError {
            print("tried: \(count) broken rules in \(text.utf8.count) bytes: \(error.issues.count) issues in \(String(format: "%.2f", Date().timeIntervalSince(began))) s, description \(error.description.utf8.count) bytes")
            XCTAssertEqual(error.issues.count, count)
            let lines = error.description.split(separator: "\n")
            XCTAssertEqual(lines.filter { $0.contains("undefined field 'nosuchfield'") }.count, RuleLoadError.listed)
            XCTAssertEqual(lines.last.map(String.init), "… and \(count - RuleLoadError.listed) more problems, not listed (the first 100 are)")
        }
    }

    /// The shipped files are far inside every bound.
    func testShippedRulesLoad() throws {
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../rules").standardized.path
        XCTAssertNoThrow(try loadRules([rules]))
    }
}
