// DaemonTests: the real `stationguard` binary on a real spool, writing to the real journald.
import Foundation
import XCTest

final class DaemonTests: XCTestCase {
    /// Journal field names for `check --format json` keys.
    static func journalName(_ key: String) -> String {
        ["message", "priority", "message_id", "syslog_identifier"].contains(key) ? key.uppercased() : "SG_" + key.uppercased()
    }

    static let contractFields = ["MESSAGE", "PRIORITY", "MESSAGE_ID", "SYSLOG_IDENTIFIER", "SG_RULE", "SG_RULESET",
                                 "SG_SEVERITY", "SG_ACTION", "SG_RECORD_ID", "SG_RECORD_KIND", "SG_STATION", "SG_KIOSK",
                                 "SG_OFFICER", "SG_SPOOL_FILE", "SG_RECORD_SHA256", "SG_RULES_VERSION"]

    func started(_ scene: Scene, _ daemon: DaemonProcess) throws -> [String: String] {
        var event: [String: String]?
        try waitUntil(timeout: 30) {
            event = try scene.journalEvents("started").first
            return event != nil || !daemon.isRunning
        }
        let found = try XCTUnwrap(event, "no started event; daemon log:\n\(daemon.log)")
        return found
    }

    // MARK: - The data path

    func testRecordsReachTheJournalExactlyAsCheckPredicts() throws {
        let scene = try Scene("flow")
        defer { scene.remove() }
        let daemon = try DaemonProcess(scene)
        defer { daemon.stop() }
        let startedEvent = try started(scene, daemon)

        var staged: [String] = []
        for (index, example) in Fixtures.exampleNames.enumerated() {
            staged.append(try scene.drop(scene.record(example, id: "\(scene.station)-ex\(index)"), name: "\(example).json"))
        }
        // Variants: a missing field (REVIEW), a departure within capacity, a sober driver.
        staged.append(try scene.drop(scene.record("departure-overcapacity", id: "\(scene.station)-v1", patch: ["unbelted_count": nil]),
                                     name: "variant-review.json"))
        staged.append(try scene.drop(scene.record("departure-overcapacity", id: "\(scene.station)-v2", patch: ["adults": 40]),
                                     name: "variant-fine.json"))
        var sober = scene.record("driver-alcohol", id: "\(scene.station)-v3")
        var alcohol = sober["alcohol"] as? [String: Any] ?? [:]
        alcohol["breath_mg_per_l"] = 0.0
        sober["alcohol"] = alcohol
        staged.append(try scene.drop(sober, name: "variant-sober.json"))

        // Malformed: bad JSON, truncated, schema violation, a symlink; and a .part that must be ignored.
        try scene.drop(bytes: "{\"schema_version\": 1, \"record_id\": ", name: "bad-json.json")
        let whole = try String(contentsOfFile: try scene.write(scene.record("vehicle-pass", id: "\(scene.station)-t"), name: "t.json"), encoding: .utf8)
        try scene.drop(bytes: String(whole.prefix(whole.count / 2)), name: "truncated.json")
        try scene.drop(scene.record("vehicle-pass", id: "\(scene.station)-s", patch: ["tech_grade": "one"]), name: "schema.json")
        XCTAssertEqual(symlink("/etc/hostname", scene.spool + "/new/link.json"), 0)
        let part = try scene.write(scene.record("vehicle-pass", id: "\(scene.station)-p"), name: "partial.json.part", into: scene.spool + "/new")
        let quarantinedNames = ["bad-json.json", "link.json", "schema.json", "truncated.json"]

        let total = staged.count + quarantinedNames.count
        XCTAssertTrue(waitUntil(timeout: 30) { scene.settledCount() == total }, "settled \(scene.settledCount()) of \(total); log:\n\(daemon.log)")
        XCTAssertEqual(scene.doneNames(), staged.map { ($0 as NSString).lastPathComponent }.sorted())
        XCTAssertEqual(scene.quarantinedNames(), quarantinedNames)
        XCTAssertEqual(scene.names(in: "new"), ["partial.json.part"], "the .part file is left alone")
        XCTAssertTrue(FileManager.default.fileExists(atPath: part))
        XCTAssertEqual(scene.names(in: "cur"), [])

        // The journal holds exactly the predicted alerts, each once, with every contract field.
        let predicted = try scene.predictedAlerts(for: staged)
        XCTAssertGreaterThanOrEqual(predicted.count, 5, "the fixture rules fire on the examples")
        XCTAssertTrue(predicted.contains { $0["action"] == "REVIEW" && $0["rule"] == "IT-DEP-2" })
        let journal = try scene.journalAlerts()
        XCTAssertEqual(alertKeys(journal, idKey: "SG_RECORD_ID", ruleKey: "SG_RULE"),
                       alertKeys(predicted, idKey: "record_id", ruleKey: "rule"))
        for alert in predicted {
            guard let entry = journal.first(where: { $0["SG_RECORD_ID"] == alert["record_id"] && $0["SG_RULE"] == alert["rule"] }) else { continue }
            for (key, value) in alert where key != "rules_version" && key != "review_reason" {
                XCTAssertEqual(entry[DaemonTests.journalName(key)], value, "\(alert["record_id"]!)/\(alert["rule"]!): \(key)")
            }
            for field in DaemonTests.contractFields {
                XCTAssertNotNil(entry[field], "\(alert["rule"]!): \(field) missing")
            }
            XCTAssertEqual(entry["SG_RULES_VERSION"], startedEvent["SG_RULES_VERSION"])
            XCTAssertFalse(entry["MESSAGE", default: ""].contains("440106198503124219"), "ID number unmasked")
        }

        // Each quarantined record has its reason beside it and a record-quarantined event naming it.
        let events = try scene.journalEvents("record-quarantined")
        for name in quarantinedNames {
            let reason = try XCTUnwrap(scene.reason(of: name), name).trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertFalse(reason.isEmpty)
            let event = events.first { $0["SG_SPOOL_FILE"] == name }
            XCTAssertEqual(event?["SG_REASON"], reason, name)
            XCTAssertEqual(event?["MESSAGE_ID"], "351fcdd030fa4b778abb7476277c3970")
        }
        XCTAssertTrue(scene.reason(of: "link.json")?.contains("符号链接") ?? false, "language zh by default")
        XCTAssertTrue(scene.reason(of: "schema.json")?.contains("tech_grade") ?? false)

        XCTAssertEqual(daemon.stop(), 0)
        XCTAssertEqual(try scene.journalEvents("stopping").count, 1)
    }

    // MARK: - The station's language

    /// With `language: zh` a quarantine reason (in NAME.reason and the journal) and a REVIEW
    /// alert are Chinese, field paths kept; with `language: en`, English. The REVIEW alert
    /// carries the REVIEW MESSAGE_ID, not the rule's.
    func testQuarantineReasonAndReviewAlertSpeakTheStationsLanguage() throws {
        for language in ["zh", "en"] {
            let scene = try Scene("lang-\(language)")
            defer { scene.remove() }
            try "station_code: \(scene.station)\ntime_zone: Asia/Shanghai\nlanguage: \(language)\n"
                .write(toFile: scene.config, atomically: true, encoding: .utf8)
            let daemon = try DaemonProcess(scene)
            defer { daemon.stop() }
            let startedEvent = try started(scene, daemon)
            try scene.drop(scene.record("vehicle-pass", id: "\(scene.station)-s", patch: ["tech_grade": "one"]), name: "schema.json")
            try scene.drop(scene.record("departure-overcapacity", id: "\(scene.station)-r", patch: ["unbelted_count": nil]),
                           name: "review.json")
            try scene.drop(bytes: "{\"schema_version\": 1, \"record_id\": ", name: "cut.json")
            XCTAssertTrue(waitUntil(timeout: 30) { scene.settledCount() == 3 }, "log:\n\(daemon.log)")
            let cut = scene.reason(of: "cut.json") ?? ""

            let reason = try XCTUnwrap(scene.reason(of: "schema.json")).trimmingCharacters(in: .whitespacesAndNewlines)
            var quarantined: [String: String]?
            XCTAssertTrue(try waitUntil(timeout: 10) {
                quarantined = try scene.journalEvents("record-quarantined").first { $0["SG_SPOOL_FILE"] == "schema.json" }
                return quarantined != nil
            })
            var review: [String: String]?
            XCTAssertTrue(try waitUntil(timeout: 10) {
                review = try scene.journalAlerts().first { $0["SG_RULE"] == "IT-DEP-2" && $0["SG_ACTION"] == "REVIEW" }
                return review != nil
            })
            let event = try XCTUnwrap(quarantined), alert = try XCTUnwrap(review)
            XCTAssertEqual(event["SG_REASON"], reason)
            XCTAssertEqual(alert["MESSAGE_ID"], "14046395efa44d5990276c83eddf939a", "REVIEW's own MESSAGE_ID")
            if language == "zh" {
                XCTAssertEqual(reason, "不符合记录格式：vehicle.tech_grade：应为 1 至 3 的整数，实际为 \"one\"")
                XCTAssertEqual(event["MESSAGE"], "schema.json：记录已隔离：\(reason)")
                XCTAssertEqual(alert["MESSAGE"], "规则 IT-DEP-2（unbelted passengers）无法判断：缺少字段 unbelted_count，请人工复核。")
                XCTAssertTrue(startedEvent["MESSAGE", default: ""].hasPrefix("已启动：收件目录 "), startedEvent["MESSAGE"] ?? "")
                XCTAssertTrue(cut.hasPrefix("不是合法的 JSON：第 1 行第 ") && cut.contains("文件意外结束"), cut)
            } else {
                XCTAssertEqual(reason, "schema violation: vehicle.tech_grade: expected an integer from 1 to 3, got \"one\"")
                XCTAssertEqual(event["MESSAGE"], "schema.json: record quarantined: \(reason)")
                XCTAssertEqual(alert["MESSAGE"], "Rule IT-DEP-2 (unbelted passengers) could not decide: missing field unbelted_count. An officer must check this record by hand.")
                XCTAssertTrue(startedEvent["MESSAGE", default: ""].hasPrefix("started on "), startedEvent["MESSAGE"] ?? "")
                XCTAssertTrue(cut.hasPrefix("not JSON: line 1, column ") && cut.contains("unexpected end of input"), cut)
            }
            XCTAssertEqual(daemon.stop(), 0)
            let stopping = try scene.journalEvents("stopping").first?["MESSAGE"] ?? ""
            XCTAssertTrue(stopping.hasPrefix(language == "zh" ? "正在停止：" : "stopping: "), stopping)
        }
    }

    // MARK: - Start-up refusals

    func testSecondDaemonOnTheSameSpoolIsRefused() throws {
        let scene = try Scene("lock")
        defer { scene.remove() }
        let first = try DaemonProcess(scene, label: "first")
        defer { first.stop() }
        _ = try started(scene, first)
        let second = try DaemonProcess(scene, label: "second")
        defer { second.stop() }
        XCTAssertTrue(waitUntil(timeout: 20) { !second.isRunning })
        XCTAssertEqual(second.child.wait(), 1)
        XCTAssertTrue(second.log.contains("in use by another stationguard daemon (pid \(first.pid))"), second.log)
        XCTAssertTrue(first.isRunning)
        XCTAssertEqual(first.stop(), 0)
    }

    func testBrokenRulesAtStartUpExitOneWithTheirPlace() throws {
        let scene = try Scene("badstart", rules: Fixtures.rules.replacingOccurrences(of: "record.result == 'prohibited'", with: "record.resultz == 'prohibited'"))
        defer { scene.remove() }
        let daemon = try DaemonProcess(scene)
        defer { daemon.stop() }
        XCTAssertTrue(waitUntil(timeout: 20) { !daemon.isRunning })
        XCTAssertEqual(daemon.child.wait(), 1)
        XCTAssertTrue(daemon.log.contains(scene.vendorRules + "/testset.yaml:28:17:"), daemon.log)
    }

    // MARK: - Rules, live

    func testRuleChangeWhileRecordsFlowLosesNoneAndJudgesNoneTwice() throws {
        let scene = try Scene("reload")
        defer { scene.remove() }
        let daemon = try DaemonProcess(scene)
        defer { daemon.stop() }
        let startedVersion = try XCTUnwrap(try started(scene, daemon)["SG_RULES_VERSION"])

        var count = 0
        func feed(_ n: Int) throws {
            for _ in 0..<n {
                count += 1
                try scene.drop(scene.record("departure-overcapacity", id: "\(scene.station)-\(count)", patch: ["unbelted_count": 0]),
                               name: "dep-\(count).json")
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        try feed(80)
        try Fixtures.rulesWithExtra.write(toFile: scene.vendorRules + "/testset.yaml", atomically: true, encoding: .utf8)
        try feed(80)
        var reloaded: [String: String]?
        try waitUntil(timeout: 20) { reloaded = try scene.journalEvents("rules-reloaded").first; return reloaded != nil }
        let newVersion = try XCTUnwrap(reloaded?["SG_RULES_VERSION"], "no rules-reloaded event; log:\n\(daemon.log)")
        XCTAssertNotEqual(newVersion, startedVersion)
        XCTAssertTrue(reloaded?["MESSAGE"]?.hasPrefix("规则已重新加载（规则文件有变动）：") ?? false, "language zh by default: \(reloaded?["MESSAGE"] ?? "")")
        try feed(20)

        XCTAssertTrue(waitUntil(timeout: 60) { scene.doneNames().count == count }, "settled \(scene.doneNames().count) of \(count)")
        XCTAssertEqual(daemon.stop(), 0)

        let alerts = try scene.journalAlerts()
        let byRecord = Dictionary(grouping: alerts, by: { $0["SG_RECORD_ID"] ?? "?" })
        XCTAssertEqual(byRecord.count, count, "every record has its alerts")
        var versions = Set<String>()
        for (id, entries) in byRecord {
            let rules = entries.compactMap { $0["SG_RULE"] }.sorted()
            let version = Set(entries.compactMap { $0["SG_RULES_VERSION"] })
            XCTAssertEqual(version.count, 1, "\(id): judged by one generation, got \(version)")
            versions.formUnion(version)
            if version == [newVersion] {
                XCTAssertEqual(rules, ["IT-DEP-1", "IT-DEP-3"], id)
            } else {
                XCTAssertEqual(version, [startedVersion], id)
                XCTAssertEqual(rules, ["IT-DEP-1"], id)
            }
        }
        XCTAssertEqual(versions, [startedVersion, newVersion])
    }

    func testBrokenRuleFileAtReloadKeepsTheOldRules() throws {
        let scene = try Scene("reject")
        defer { scene.remove() }
        let daemon = try DaemonProcess(scene)
        defer { daemon.stop() }
        let startedVersion = try XCTUnwrap(try started(scene, daemon)["SG_RULES_VERSION"])
        // Predicted while the rules still load (check refuses a broken rule directory).
        let record = scene.record("departure-overcapacity", id: "\(scene.station)-1")
        let predicted = try scene.predictedAlerts(for: [try scene.write(record, name: "dep.json")])
        XCTAssertFalse(predicted.isEmpty)

        let broken = """
        ruleset: broken
        title: a rule with a misspelt field
        rules:
          - id: IT-BAD-1
            title: misspelt
            kind: departure
            when: record.adultz > 1
            severity: warning
            action: WARN
            message: "never"

        """
        try broken.write(toFile: scene.adminRules + "/broken.yaml", atomically: true, encoding: .utf8)
        var rejected: [String: String]?
        try waitUntil(timeout: 20) { rejected = try scene.journalEvents("rules-rejected").first; return rejected != nil }
        let event = try XCTUnwrap(rejected, "no rules-rejected event; log:\n\(daemon.log)")
        XCTAssertTrue(event["MESSAGE", default: ""].contains(scene.adminRules + "/broken.yaml:7:"), event["MESSAGE"] ?? "")
        XCTAssertTrue(event["MESSAGE", default: ""].hasPrefix("规则被拒绝（"), event["MESSAGE"] ?? "")
        XCTAssertTrue(event["MESSAGE", default: ""].hasSuffix("）继续生效"), event["MESSAGE"] ?? "")
        XCTAssertEqual(event["SG_RULES_VERSION"], startedVersion)
        XCTAssertEqual(event["MESSAGE_ID"], "0064e45165464775bfd20a5856a75bce")

        // SIGHUP (systemctl reload) with the file still broken: rejected again.
        kill(daemon.pid, SIGHUP)
        XCTAssertTrue(try waitUntil(timeout: 20) { try scene.journalEvents("rules-rejected").count >= 2 })

        // Records are still judged by the old rules.
        try scene.drop(record, name: "dep.json")
        XCTAssertTrue(waitUntil(timeout: 20) { scene.doneNames().count == 1 })
        let alerts = try scene.journalAlerts()
        XCTAssertEqual(alertKeys(alerts, idKey: "SG_RECORD_ID", ruleKey: "SG_RULE"),
                       alertKeys(predicted, idKey: "record_id", ruleKey: "rule"))
        XCTAssertTrue(alerts.allSatisfy { $0["SG_RULES_VERSION"] == startedVersion })
        XCTAssertTrue(daemon.isRunning)
        XCTAssertEqual(daemon.stop(), 0)
    }
}
