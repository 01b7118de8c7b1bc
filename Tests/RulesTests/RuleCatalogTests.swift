// The rules' journal catalog: generated from the rule files, committed, and read by journalctl.
import Foundation
import XCTest
@testable import Rules

final class RuleCatalogTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static var shippedRules: String { repository.appendingPathComponent("rules").path }
    static var committedCatalog: URL { repository.appendingPathComponent("systemd/stationguard-rules.catalog") }

    func catalogRuleIDs(_ catalog: RuleCatalog) -> [String] { catalog.entries.map(\.ruleID) }

    func testCommittedCatalogIsWhatTheCommandPrintsForTheShippedRules() throws {
        let catalog = RuleCatalog.make(layers: RuleLayers(directories: [Self.shippedRules]))
        XCTAssertEqual(catalog.issues.map(\.description), [])
        let committed = try String(contentsOf: Self.committedCatalog, encoding: .utf8)
        if committed != catalog.text {
            let a = committed.components(separatedBy: "\n"), b = catalog.text.components(separatedBy: "\n")
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            XCTFail("""
                systemd/stationguard-rules.catalog differs from the rule files (first at line \(line + 1)). \
                Regenerate it and commit it: \
                swift run stationguard rules catalog --rules rules > systemd/stationguard-rules.catalog
                """)
        }
    }

    func testEveryLoadedRuleHasAnEnglishAndAChineseEntryUnderItsMessageID() throws {
        // The loader derives the MESSAGE_IDs the daemon writes; the catalog must use the same.
        let generation = try loadRules([Self.shippedRules])
        let catalog = RuleCatalog.make(layers: RuleLayers(directories: [Self.shippedRules]))
        XCTAssertEqual(catalog.entries.count, generation.rules.count)
        let text = catalog.text
        for rule in generation.rules {
            XCTAssertTrue(text.contains("\n-- \(rule.messageID)\nSubject: \(rule.id): "), rule.id)
            XCTAssertTrue(text.contains("\n-- \(rule.messageID) zh_CN\nSubject: \(rule.id)："), rule.id)
            guard let entry = catalog.entries.first(where: { $0.messageID == rule.messageID }) else { continue }
            XCTAssertEqual(entry.ruleID, rule.id)
            XCTAssertTrue(entry.english.contains("action \(rule.action.rawValue)."), rule.id)
            XCTAssertTrue(entry.english.contains("\n\(rule.action.rawValue): "), "\(rule.id): the duty for its action")
            XCTAssertTrue(entry.english.contains("If this entry's action is REVIEW"), rule.id)
            XCTAssertTrue(entry.chinese.contains("处置为 REVIEW"), rule.id)
            for reference in rule.references {
                XCTAssertTrue(entry.english.contains("  - \(reference)\n"), "\(rule.id): \(reference)")
            }
            // Only the fields every alert entry carries are substituted.
            let fields = Set((entry.english + entry.chinese).split(separator: "@", omittingEmptySubsequences: false)
                .enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) })
            XCTAssertEqual(fields, ["SG_RECORD_ID", "SG_ACTION"], rule.id)
            XCTAssertFalse(entry.english.contains("{{"), rule.id)
        }
    }

    func testSwitchedOffRulesAndSetsAreExplainedButMasksAreSkipped() throws {
        let s = Scratch()
        s.write("vendor/capacity.yaml", Fixtures.capacity)
        s.write("vendor/papers.yaml", Fixtures.papers)
        var layers = RuleLayers(directories: [s.path("vendor")])
        // T-003 has enabled: false.
        XCTAssertEqual(catalogRuleIDs(RuleCatalog.make(layers: layers)), ["T-001", "T-002", "T-003", "P-001", "P-002", "P-003", "P-004"])

        // The admin's capacity, switched off, replaces the vendor's; a mask over papers leaves
        // the vendor's papers to explain (unmasking brings them back).
        s.write("admin/capacity.yaml.disabled", """
        ruleset: capacity
        rules:
          - id: T-009
            title: over capacity (local)
            kind: departure
            when: record.adults > record.approved_passenger_seats
            severity: warning
            action: WARN
            message: local
        """)
        try FileManager.default.createSymbolicLink(atPath: s.path("admin/papers.yaml"), withDestinationPath: "/dev/null")
        layers = RuleLayers(directories: [s.path("vendor"), s.path("admin")])
        let catalog = RuleCatalog.make(layers: layers)
        XCTAssertEqual(catalog.issues.map(\.description), [])
        XCTAssertEqual(catalogRuleIDs(catalog), ["T-009", "P-001", "P-002", "P-003", "P-004"])
        XCTAssertEqual(catalog.rulesets, ["capacity", "papers"])
    }

    func testTwoRulesWithOneMessageIDAreAnIssueAtTheSecondRule() {
        let s = Scratch()
        let id = "0123456789abcdef0123456789abcdef"
        for (set, rule) in [("a", "A-1"), ("b", "B-1")] {
            s.write("v/\(set).yaml", """
            ruleset: \(set)
            rules:
              - id: \(rule)
                title: t
                kind: departure
                when: record.adults > 0
                severity: info
                action: WARN
                message: m
                message_id: \(id)
            """)
        }
        let catalog = RuleCatalog.make(layers: RuleLayers(directories: [s.path("v")]))
        XCTAssertEqual(catalogRuleIDs(catalog), ["A-1"])
        XCTAssertEqual(catalog.issues.map(\.summary), [
            "\(s.path("v/b.yaml")):3:5: rule B-1 has MESSAGE_ID \(id), already used by rule A-1 at \(s.path("v/a.yaml")):3; one catalog entry cannot explain both",
        ])
    }

    func testAnUnreadableRuleFileIsAnIssueWithItsPosition() {
        let s = Scratch()
        s.write("v/a.yaml", "ruleset: a\nrules:\n  - id: A-1\n    title: t\n")
        let catalog = RuleCatalog.make(layers: RuleLayers(directories: [s.path("v")]))
        XCTAssertEqual(catalog.entries.count, 0)
        XCTAssertFalse(catalog.issues.isEmpty)
        XCTAssertTrue(catalog.issues.allSatisfy { $0.file == s.path("v/a.yaml") && $0.line == 3 }, catalog.issues.map(\.summary).joined(separator: "\n"))
    }

    func testRuleTextCannotStartAnEntryOrAComment() {
        let s = Scratch()
        s.write("v/a.yaml", """
        ruleset: a
        rules:
          - id: A-1
            title: "mail x@SG_PLATE@y"
            kind: departure
            when: record.adults > 0
            severity: info
            action: REFUSE
            message: |-
              line {{record.plate_no}} and {{ size(record.trip_id) }} and {{ unclosed
              -- 0123456789abcdef0123456789abcdef
              # not a comment
            references: ["S1"]
        """)
        let catalog = RuleCatalog.make(layers: RuleLayers(directories: [s.path("v")]))
        XCTAssertEqual(catalog.issues.map(\.description), [])
        let lines = catalog.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.hasPrefix("-- ") }.count, 2)
        XCTAssertEqual(lines.filter { $0.hasPrefix("#") }.count, lines.prefix { $0.hasPrefix("#") }.count)
        XCTAssertFalse(catalog.text.contains("@SG_PLATE@"))
        XCTAssertTrue(catalog.text.contains("Subject: A-1: mail x＠SG_PLATE＠y\n"))
        XCTAssertTrue(catalog.text.contains("\n  line ‹plate_no› and ‹…› and {{ unclosed\n"))
        XCTAssertTrue(catalog.text.contains("\nREFUSE: refuse what the message names"))
    }

    /// systemd's own tools: journalctl --update-catalog/--list-catalog/--dump-catalog on a
    /// temporary root, then `journalctl -x` on entries sent to the running journald.
    func testJournalctlExplainsEveryShippedRuleInBothLanguages() throws {
        let expected = RuleCatalog.make(layers: RuleLayers(directories: [Self.shippedRules])).entries.count
        let script = Self.repository.appendingPathComponent("systemd/check-rules-catalog").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.arguments = [Self.committedCatalog.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let explained = output.split(separator: "\n").filter { $0.hasPrefix("ok   ") }
        XCTAssertEqual(explained.count, expected, output)
        XCTAssertTrue(output.contains("--list-catalog: \(expected) ids listed; the file has \(expected)"), output)
        if process.terminationStatus == 77 {
            throw XCTSkip("English explanations checked; Chinese not: install the Debian package locales")
        }
        XCTAssertEqual(process.terminationStatus, 0, output)
    }
}
