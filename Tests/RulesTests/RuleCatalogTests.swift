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
        s.writeFixtureRuleSets(in: "vendor")
        var layers = RuleLayers(directories: [s.path("vendor")])
        // T-003 has enabled: false.
        XCTAssertEqual(catalogRuleIDs(RuleCatalog.make(layers: layers)), ["T-001", "T-002", "T-003", "P-001", "P-002", "P-003", "P-004"])

        // The admin's capacity, switched off, replaces the vendor's; a mask over papers leaves
        // the vendor's papers to explain (unmasking brings them back).
        s.write("admin/capacity.yaml.disabled", Fixtures.localCapacity(ruleID: "T-009"))
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
        // The Chinese entry shows the Chinese half of the set's title near a line start, and
        // every entry shows the defaults of the params the rule reads.
        s.write("v/a.yaml", """
        ruleset: a
        title: "-- 0123456789abcdef0123456789abcdef 中文\\n# 注释 / x"
        params:
          note:
            default: "n\\n-- 0123456789abcdef0123456789abcdef\\n#c @SG_PLATE@"
        rules:
          - id: A-1
            title: "mail x@SG_PLATE@y"
            kind: departure
            when: record.adults > 0 && params.note != ''
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
        // The rule's two entries and the two of every REVIEW alert.
        XCTAssertEqual(lines.filter { $0.hasPrefix("-- ") }.count, 4)
        XCTAssertEqual(lines.filter { $0.hasPrefix("-- \(Review.messageID)") }.count, 2)
        XCTAssertEqual(lines.filter { $0.hasPrefix("#") }.count, lines.prefix { $0.hasPrefix("#") }.count)
        XCTAssertFalse(catalog.text.contains("@SG_PLATE@"))
        XCTAssertTrue(catalog.text.contains("Subject: A-1: mail x＠SG_PLATE＠y\n"))
        XCTAssertTrue(catalog.text.contains("Subject: A-1：mail x＠SG_PLATE＠y\n"))
        XCTAssertTrue(catalog.text.contains("\n  line ‹plate_no› and ‹…› and {{ unclosed\n"))
        XCTAssertTrue(catalog.text.contains("\n  line ‹车牌号› and ‹…› and {{ unclosed\n"))
        XCTAssertTrue(catalog.text.contains("\nREFUSE: refuse what the message names"))
        XCTAssertTrue(catalog.text.contains("\n规则集“-- 0123456789abcdef0123456789abcdef 中文 # 注释”（a）的规则 A-1 "))
        XCTAssertTrue(catalog.text.contains("\n  note = 'n -- 0123456789abcdef0123456789abcdef #c ＠SG_PLATE＠'\n"))
        XCTAssertTrue(catalog.text.contains("\n  参数 note，默认值 'n -- 0123456789abcdef0123456789abcdef #c ＠SG_PLATE＠'\n"))
    }

    /// One rule with each thing the Chinese entry translates: a `中文 / English` set and rule
    /// title, a record kind, an action, labelled and unlabelled fields, a param, a choice.
    func testTheChineseEntrySaysEachCodeInChineseBesideTheCodeTheJournalShows() throws {
        let s = Scratch()
        s.write("v/gate.yaml", """
        ruleset: gate
        title: 出站检查 / departure check
        params:
          max_bags:
            default: 3
            description: bags per passenger
        rules:
          - id: G-1
            title: 行包过多 / too many bags
            kind: luggage
            when: record.adults > params.max_bags
            severity: error
            action: REFUSE
            message: "班次 {{record.trip_id}} 票号 {{ record.ticket_no }} 有 {{record.adults}} 件，限 {{params.max_bags}} 件{{ record.adults > 9 ? '！' : '。' }}"
            message_en: "Trip {{record.trip_id}}: {{record.adults}} bags, at most {{params.max_bags}}."
        """)
        let catalog = RuleCatalog.make(layers: RuleLayers(directories: [s.path("v")]))
        XCTAssertEqual(catalog.issues.map(\.description), [])
        let entry = try XCTUnwrap(catalog.entries.first)
        let zh = entry.chinese
        for expected in [
            "zh_CN\nSubject: G-1：行包过多\n",
            "\n规则集“出站检查”（gate）的规则 G-1 在查验记录 @SG_RECORD_ID@（行包安检记录）中发现：行包过多。\n",
            "\n严重程度：错误（error）；规则的处置：拒绝（REFUSE）。\n",
            "\n本条日志的处置：@SG_ACTION@（HOLD 为扣车，REFUSE 为拒绝，WARN 为警告，REVIEW 为人工复核）。\n",
            "\n告警消息（‹ › 处为告警时填入的具体内容；英文为查验记录的字段名或参数名；‹参数 …› 为车站设定的参数值，见下文“所用参数”；‹…› 为按记录情况生成的文字）：\n",
            "\n  班次 ‹班次号› 票号 ‹票号› 有 ‹adults› 件，限 ‹参数 max_bags› 件‹…›\n",
            "\n拒绝（REFUSE）：拒绝消息所述的",
            "\n如果本条日志的处置为 REVIEW（人工复核），",
            "不合格的按拒绝（REFUSE）处置。\n",
            "\n  参数 max_bags，默认值 3；说明：bags per passenger\n",
        ] {
            XCTAssertTrue(zh.contains(expected), "missing \(expected) in\n\(zh)")
        }
        XCTAssertFalse(zh.contains("departure check") || zh.contains("too many bags") || zh.contains("luggage"), zh)
        // The English entry keeps the whole titles and the codes.
        XCTAssertTrue(entry.english.contains("Subject: G-1: 行包过多 / too many bags\n"), entry.english)
        XCTAssertTrue(entry.english.contains("\nRule G-1 of the rule set gate (出站检查 / departure check) found, in inspection record @SG_RECORD_ID@\n(a luggage record): "), entry.english)
        XCTAssertTrue(entry.english.contains("\n  Trip ‹trip_id›: ‹adults› bags, at most ‹max_bags›.\n"), entry.english)
        XCTAssertTrue(entry.english.contains("\n  max_bags = 3: bags per passenger\n"), entry.english)
    }

    func testAChineseMessageWithOnlyLabelledFieldsHasNoWordAboutEnglishNames() throws {
        let s = Scratch()
        s.write("v/a.yaml", """
        ruleset: a
        rules:
          - id: A-1
            title: only English
            kind: vehicle
            when: record.plate_no != ''
            severity: warning
            action: WARN
            message: "车辆 {{record.plate_no}} 提醒。"
          - id: A-2
            title: 无字段 / no field
            kind: driver
            when: record.driver_id != ''
            severity: notice
            action: HOLD
            message: "提醒。"
        """)
        let catalog = RuleCatalog.make(layers: RuleLayers(directories: [s.path("v")]))
        XCTAssertEqual(catalog.issues.map(\.description), [])
        XCTAssertEqual(catalog.entries.count, 2)
        let (a1, a2) = (catalog.entries[0].chinese, catalog.entries[1].chinese)
        XCTAssertTrue(a1.contains("\n规则集 a 的规则 A-1 在查验记录 @SG_RECORD_ID@（车辆安全例检记录）中发现：only English。\n"), a1)
        XCTAssertTrue(a1.contains("\n告警消息（‹ › 处为告警时填入的具体内容）：\n  车辆 ‹车牌号› 提醒。\n"), a1)
        XCTAssertTrue(a1.contains("\n严重程度：警告（warning）；规则的处置：警告（WARN）。\n"), a1)
        XCTAssertTrue(a2.contains("（驾驶员报班检查记录）中发现：无字段。\n"), a2)
        XCTAssertTrue(a2.contains("\n告警消息：\n  提醒。\n"), a2)
        XCTAssertTrue(a2.contains("\n扣车（HOLD）：在消息所述问题整改完毕"), a2)
    }

    /// What an officer reads in a shipped rule's Chinese entry, outside the rule file's own
    /// indented text (message, params, references), is Chinese but for the codes the journal
    /// fields show and the fixed catalog words.
    func testTheShippedChineseEntriesHaveNoEnglishButTheJournalsCodes() {
        let catalog = RuleCatalog.make(layers: RuleLayers(directories: [Self.shippedRules]))
        XCTAssertFalse(catalog.entries.isEmpty)
        for entry in catalog.entries {
            var codes = ["Subject", "Defined-By", "stationguard", "zh_CN", "@SG_RECORD_ID@", "@SG_ACTION@",
                         entry.messageID, entry.ruleID, entry.ruleset]
            codes += RuleAction.allCases.map(\.rawValue) + Severity.allCases.map(\.rawValue)
            for line in entry.chinese.split(separator: "\n") where !line.hasPrefix("  ") {
                // Longest first, so that a code inside another (DEP-001 in DEP-001-X) goes whole.
                let prose = codes.sorted { $0.count > $1.count }.reduce(String(line)) { $0.replacingOccurrences(of: $1, with: "") }
                XCTAssertNil(prose.range(of: "[A-Za-z]{2,}", options: .regularExpression), "\(entry.ruleID): \(line)")
            }
        }
    }

    /// systemd's own tools: journalctl --update-catalog/--list-catalog/--dump-catalog on a
    /// temporary root, then `journalctl -x` on entries sent to the running journald.
    func testJournalctlExplainsEveryShippedRuleInBothLanguages() throws {
        // Every rule's entry, and the one for all REVIEW alerts.
        let expected = RuleCatalog.make(layers: RuleLayers(directories: [Self.shippedRules])).entries.count + 1
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
