// Loading: strict keys, vocabularies, duplicate ids, and CEL errors located in the YAML file.
import XCTest
@testable import Rules

final class RuleLoadingTests: XCTestCase {
    func testFixturesLoad() throws {
        let s = Scratch()
        s.writeFixtureRuleSets()
        let g = try loadRules([s.path("v")])
        XCTAssertEqual(g.rules.map(\.id), ["T-001", "T-002", "T-003", "P-001", "P-002", "P-003", "P-004"])
        XCTAssertEqual(g.rules.filter(\.enabled).count, 6)
        XCTAssertEqual(g.files.map(\.name), ["capacity", "papers"])
    }

    func testUnknownKeyIsAnErrorAtItsPosition() {
        let s = Scratch()
        let path = s.write("v/capacity.yaml", Fixtures.capacity.replacingOccurrences(of: "    severity: critical", with: "    severty: critical"))
        let issues = loadIssues([s.path("v")])
        XCTAssertEqual(issues.map(\.summary), [
            "\(path):14:5: unknown key 'severty' in rule T-001 (allowed: id, title, kind, when, severity, action, message, message_en, references, tags, enabled, message_id)",
            "\(path):10:5: missing required key 'severity' in rule T-001",
        ])
    }

    func testVocabulariesAndStemAndTypes() {
        let s = Scratch()
        var text = Fixtures.capacity.replacingOccurrences(of: "ruleset: capacity", with: "ruleset: capacities")
        text = text.replacingOccurrences(of: "    severity: error", with: "    severity: urgent")
        text = text.replacingOccurrences(of: "    action: WARN", with: "    action: REVIEW")
        text = text.replacingOccurrences(of: "    enabled: false", with: "    enabled: nope")
        text = text.replacingOccurrences(of: "    kind: departure\n    when: >", with: "    kind: bus\n    when: >")
        let path = s.write("v/capacity.yaml", text)
        let issues = loadIssues([s.path("v")]).map(\.summary)
        XCTAssertEqual(issues, [
            "\(path):1:10: ruleset 'capacities' must equal the file name stem 'capacity'",
            "\(path):20:11: rule T-002: unknown kind 'bus' (one of: vehicle, driver, luggage, departure, trip)",
            "\(path):24:15: rule T-002: unknown severity 'urgent' (one of: critical, error, warning, notice, info)",
            "\(path):32:13: rule T-003: unknown action 'REVIEW' (one of: HOLD, REFUSE, WARN; REVIEW is given by the engine when a rule cannot decide)",
            "\(path):34:14: rule T-003: 'enabled' must be true or false, found 'nope'",
        ])
    }

    func testDuplicateRuleIDAcrossSets() {
        let s = Scratch()
        let first = s.write("v/capacity.yaml", Fixtures.capacity)
        let second = s.write("v/more.yaml", Fixtures.capacity.replacingOccurrences(of: "ruleset: capacity", with: "ruleset: more"))
        let issues = loadIssues([s.path("v")]).map(\.summary)
        XCTAssertEqual(issues.count, 3)
        XCTAssertEqual(issues.first, "\(second):10:5: duplicate rule id 'T-001' (first defined at \(first):10)")
    }

    func testDuplicateKeyIsReportedAtTheRepeat() {
        let s = Scratch()
        // Line 6 has the first `when`, line 9 repeats it (after other keys) in the same rule;
        // the next rule's `when` (line 15) is a different mapping and is not a repeat.
        let path = s.write("v/dup.yaml", """
        ruleset: dup
        rules:
          - id: D-001
            title: first
            kind: driver
            when: "true"
            severity: warning
            action: WARN
            when: "false"
            message: x
          - id: D-002
            title: second
            kind: driver
            # a comment
            when: "true"
            severity: warning
            action: WARN
            message: y
        """)
        let issues = loadIssues([s.path("v")]).map(\.summary)
        XCTAssertEqual(issues, ["\(path):9:5: duplicate key 'when' in a mapping (first at line 6, column 5)"])
    }

    func testDuplicateTopLevelKeyAndQuotedRepeat() {
        let s = Scratch()
        let path = s.write("v/dup.yaml", "ruleset: dup\nrules: []\n\n\"ruleset\" : dup\n")
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary),
                       ["\(path):4:1: duplicate key 'ruleset' in a mapping (first at line 1, column 1)"])
    }

    func testDuplicateKeyInAFlowMappingFallsBackToTheFirst() {
        let s = Scratch()
        let path = s.write("v/dup.yaml", "ruleset: dup\nparams: {a: 1, a: 2}\nrules: []\n")
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary),
                       ["\(path):2:10: duplicate key 'a' in a mapping: this is the first, a later line repeats it"])
    }

    func testYAMLSyntaxErrorIsLocated() {
        let s = Scratch()
        let path = s.write("v/bad.yaml", "ruleset: bad\nrules:\n  - id: [unclosed\n")
        let issues = loadIssues([s.path("v")])
        XCTAssertEqual(issues.count, 1)
        XCTAssertTrue(issues[0].summary.hasPrefix("\(path):4:1: YAML syntax:"), issues[0].summary)
    }

    // MARK: - CEL errors point into the YAML file

    func testMisspeltFieldInPlainScalar() {
        let s = Scratch()
        let path = s.write("v/capacity.yaml", Fixtures.capacity.replacingOccurrences(of: "record.seated_children > record", with: "record.seated_childs > record"))
        let issues = loadIssues([s.path("v")])
        XCTAssertEqual(issues.map(\.summary), ["\(path):13:33: rule T-001: undefined field 'seated_childs' on type 'Departure'"])
        XCTAssertEqual(issues.first?.detail, """
         | record.adults + record.seated_childs > record.approved_passenger_seats
         | ......................^
        """)
    }

    func testMisspeltFieldOnSecondLineOfFoldedBlock() {
        let s = Scratch()
        let path = s.write("v/capacity.yaml", Fixtures.capacity.replacingOccurrences(of: "double(record.lap_children)", with: "double(record.lap_kids)"))
        let issues = loadIssues([s.path("v")])
        XCTAssertEqual(issues.map(\.summary), ["\(path):23:20: rule T-002: undefined field 'lap_kids' on type 'Departure'"])
    }

    func testMisspeltParamAndQuotedScalar() {
        let s = Scratch()
        var text = Fixtures.papers.replacingOccurrences(of: "record.qualification.valid_until, record.recorded_at)'", with: "record.qualification.valid_til, record.recorded_at)'")
        text = text.replacingOccurrences(of: "{{params.free_child_ratio}}", with: "{{params.free_child_ration}}")
        let path = s.write("v/papers.yaml", text)
        s.write("v/capacity.yaml", Fixtures.capacity.replacingOccurrences(of: "{{params.free_child_ratio}}", with: "{{params.ratio}}"))
        let issues = loadIssues([s.path("v")]).map(\.summary)
        XCTAssertEqual(issues, [
            "\(s.path("v/capacity.yaml")):26:57: rule T-002: message: undefined field 'ratio' on type 'capacity.params'",
            "\(path):6:46: rule P-001: undefined field 'valid_til' on type 'Qualification'",
        ])
    }

    func testWhenMustBeBool() {
        let s = Scratch()
        let path = s.write("v/capacity.yaml", Fixtures.capacity.replacingOccurrences(of: "when: \"true\"", with: "when: record.adults"))
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary), ["\(path):30:11: rule T-003: 'when' must be a condition (bool), found int"])
    }

    func testUnclosedTemplateHole() {
        let s = Scratch()
        let path = s.write("v/capacity.yaml", Fixtures.capacity.replacingOccurrences(of: "message: never", with: "message: \"x {{record.adults\""))
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary), ["\(path):33:17: rule T-003: message: '{{' without a closing '}}'"])
    }

    func testVersionChangesOnEveryLoad() throws {
        let s = Scratch()
        s.write("v/capacity.yaml", Fixtures.capacity)
        let a = try loadRules([s.path("v")]), b = try loadRules([s.path("v")])
        XCTAssertNotEqual(a.version, b.version)
        XCTAssertEqual(a.version.prefix(12), b.version.prefix(12), "same files, same content hash")
    }
}

final class ScalarPositionTests: XCTestCase {
    /// One rule whose `when:` is `scalar` (YAML text placed after `when:`), loaded to fail.
    private func issue(when scalar: String) -> RuleIssue? {
        let s = Scratch()
        s.write("v/pos.yaml", "ruleset: pos\nrules:\n  - id: X-1\n    title: t\n    kind: departure\n    when: \(scalar)\n    severity: info\n    action: WARN\n    message: m\n")
        return loadIssues([s.path("v")]).first
    }

    func testLiteralBlockSecondLine() {
        // Line 8 is `      record.adultz > 1`: the dot before `adultz` is column 13.
        let i = issue(when: "|\n      record.route_class > 0 &&\n      record.adultz > 1")
        XCTAssertEqual([i?.line, i?.column], [8, 13])
        XCTAssertEqual(i?.detail, " |       record.adultz > 1\n | ............^")
    }

    func testPlainMultiLineScalar() {
        let i = issue(when: "record.route_class > 0 &&\n        record.adultz > 1")
        XCTAssertEqual([i?.line, i?.column], [7, 15])
    }

    func testDoubleQuotedWithEscapeFallsBackToTheQuote() {
        // The escapes break the raw/value match: columns are counted in the unescaped value from
        // the quote's next column (12 + 32 = 44; the file's own column is 46, two backslashes later).
        let i = issue(when: #""record.route_id == \"a\" && record.adultz > 1""#)
        XCTAssertEqual(i?.line, 6)
        XCTAssertEqual(i?.message, "rule X-1: undefined field 'adultz' on type 'Departure'")
        XCTAssertEqual(i?.column, 44)
    }

    func testSingleQuotedExact() {
        let i = issue(when: "'record.adultz > 1'")
        XCTAssertEqual([i?.line, i?.column], [6, 18])
    }
}
