// Evaluation: alerts, REVIEW on a missing field, messages, station time zone, journal fields.
import XCTest
import CEL
import Records
@testable import Rules

final class EvaluationTests: XCTestCase {
    var scratch: Scratch!
    var generation: RuleGeneration!

    override func setUpWithError() throws {
        scratch = Scratch()
        scratch.writeFixtureRuleSets()
        generation = try loadRules([scratch.path("v")])
    }

    func testCleanRecordsFireNothing() throws {
        XCTAssertEqual(generation.evaluate(try record(Fixtures.departure)).map(\.rule), [])
        XCTAssertEqual(generation.evaluate(try record(Fixtures.driver)).map(\.rule), [])
    }

    func testOverCapacityFiresWithMessage() throws {
        let alerts = generation.evaluate(try record(Fixtures.departure, ["adults": .integer(49)]))
        XCTAssertEqual(alerts.map(\.rule), ["T-001"])
        let a = try XCTUnwrap(alerts.first)
        XCTAssertEqual(a.action, .hold)
        XCTAssertEqual(a.severity, .critical)
        XCTAssertEqual(a.ruleset, "capacity")
        XCTAssertEqual(a.message, "班次 G1203-20261001 车辆 粤A12345 超员：50 人，核定 49 人。")
    }

    func testEnglishMessageWhenConfigured() throws {
        var config = StationConfig()
        config.language = .en
        let g = try loadRules([scratch.path("v")], config: config)
        let alerts = g.evaluate(try record(Fixtures.departure, ["adults": .integer(49)]))
        XCTAssertEqual(alerts.map(\.message), ["Trip G1203-20261001 bus 粤A12345 is over capacity: 50 seated, 49 approved."])
    }

    /// Condition activations are reused per thread: records evaluated in turn, on several
    /// threads at once, must each be judged on their own values only.
    func testReusedActivationsJudgeEachRecordAlone() throws {
        let over = try record(Fixtures.departure, ["adults": .integer(49)])
        let clean = try record(Fixtures.departure)
        let missing = try record(Fixtures.departure, ["adults": nil])
        let expected: [[String]] = [["T-001/HOLD"], [], ["T-001/REVIEW"]]
        let g = generation!
        let outcomes = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 4)
        defer { outcomes.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var same = true
            for i in 0..<300 {
                let r = [over, clean, missing][(i + t) % 3]
                let got = g.evaluate(r).map { "\($0.rule)/\($0.action.rawValue)" }
                same = same && got == expected[(i + t) % 3]
            }
            outcomes[t] = same
        }
        XCTAssertEqual(Array(outcomes), [true, true, true, true])
    }

    /// A misspelt field is kept but read by no rule: a REVIEW alert names it and the guess,
    /// with the REVIEW MESSAGE_ID, in the station's language.
    func testUnknownFieldGivesAReviewWithADidYouMean() throws {
        let r = try record(Fixtures.departure, ["adluts": .integer(45)])
        let alerts = generation.evaluate(r)
        let unknown = try XCTUnwrap(alerts.first { $0.rule == Review.unknownFieldRule })
        XCTAssertEqual(unknown.action, .review)
        XCTAssertEqual(unknown.messageID, Review.messageID)
        XCTAssertTrue(unknown.message.hasPrefix("记录含有未知字段 adluts（是否应为 adults？）："), unknown.message)
        var en = StationConfig(); en.language = .en
        let english = try loadRules([scratch.path("v")], config: en).evaluate(r).first { $0.rule == Review.unknownFieldRule }
        XCTAssertTrue(english?.message.hasPrefix("Unknown field adluts (did you mean adults?): ") ?? false, english?.message ?? "nil")
        XCTAssertFalse(generation.evaluate(try record(Fixtures.departure)).contains { $0.rule == Review.unknownFieldRule })
    }

    func testMissingFieldGivesReviewNamingIt() throws {
        let alerts = generation.evaluate(try record(Fixtures.departure, ["adults": nil]))
        XCTAssertEqual(alerts.map(\.rule), ["T-001"])
        let a = try XCTUnwrap(alerts.first)
        XCTAssertEqual(a.action, .review)
        XCTAssertEqual(a.severity, .critical, "a REVIEW keeps the rule's severity")
        XCTAssertTrue(a.reviewReason?.contains("adults") ?? false, a.reviewReason ?? "nil")
        XCTAssertTrue(a.message.contains("T-001") && a.message.contains("adults"), a.message)
        XCTAssertEqual(a.reviewReason, "缺少字段 adults")
        XCTAssertTrue(a.message.hasSuffix("无法判断：缺少字段 adults，请人工复核。"), a.message)
        XCTAssertEqual(a.messageID, Review.messageID, "a REVIEW has its own MESSAGE_ID, not the rule's")
        // The other departure rule still ran (and did not fire).
        XCTAssertFalse(alerts.contains { $0.rule == "T-002" })
    }

    func testDisabledRuleNeverRuns() throws {
        // T-003's condition is `true`: it would fire on every departure if it ran.
        XCTAssertFalse(generation.evaluate(try record(Fixtures.departure)).contains { $0.rule == "T-003" })
    }

    // MARK: - Station time zone (rule-catalogue §4.4, §4.6)

    private func driver(qualificationUntil: String, at recordedAt: String) throws -> Record {
        var doc = try JSONParser.parse(Array(Fixtures.driver.utf8))
        doc = doc.mergePatched(with: .object([("recorded_at", .string(recordedAt)),
                                              ("qualification", .object([("valid_until", .string(qualificationUntil))]))]))
        return try RecordDecoder.decodeOrThrow(Array(doc.jsonText.utf8), fileName: "d.json")
    }

    func testExpiredAtHalfPastMidnightLocalThoughUTCDateIsTheDayBefore() throws {
        // 2026-10-01 00:30 at the station is 2026-09-30 16:30 UTC: the UTC date is still the
        // expiry date, but at the station the paper expired half an hour ago.
        for ts in ["2026-10-01T00:30:00+08:00", "2026-09-30T16:30:00Z"] {
            let alerts = generation.evaluate(try driver(qualificationUntil: "2026-09-30", at: ts))
            XCTAssertEqual(alerts.filter { $0.rule == "P-001" }.map(\.action), [.refuse], ts)
        }
    }

    func testExpiresTodayIsValidUntilMidnightLocal() throws {
        for ts in ["2026-09-30T00:00:00+08:00", "2026-09-30T23:59:59+08:00", "2026-09-30T15:59:59Z"] {
            let alerts = generation.evaluate(try driver(qualificationUntil: "2026-09-30", at: ts))
            XCTAssertFalse(alerts.contains { $0.rule == "P-001" }, ts)
        }
    }

    func testXinjiangOffsetIsNormalisedToStationHour() throws {
        // 01:30 written at +06:00 is 03:30 in Beijing: inside the 02–05 window.
        let alerts = generation.evaluate(try driver(qualificationUntil: "2029-06-30", at: "2026-10-01T01:30:00+06:00"))
        let night = alerts.filter { $0.rule == "P-002" }
        XCTAssertEqual(night.map(\.message), ["2026-10-01 3 时报班"])
    }

    func testOtherStationTimeZone() throws {
        var config = StationConfig()
        config.timeZone = TimeZone(identifier: "Asia/Urumqi")!   // UTC+6
        let g = try loadRules([scratch.path("v")], config: config)
        // 00:30 +08:00 is 22:30 the day before in Urumqi: the paper is still valid there.
        XCTAssertFalse(g.evaluate(try driver(qualificationUntil: "2026-09-30", at: "2026-10-01T00:30:00+08:00")).contains { $0.rule == "P-001" })
    }

    func testDaysUntilAndAgeOn() throws {
        var doc = try JSONParser.parse(Array(Fixtures.driver.utf8))
        // Licence ends 2026-10-30; at 2026-10-01 06:31 that is 29 days away.
        doc = doc.mergePatched(with: .object([("licence", .object([("valid_until", .string("2026-10-30"))]))]))
        var alerts = generation.evaluate(try RecordDecoder.decodeOrThrow(Array(doc.jsonText.utf8), fileName: "d.json"))
        XCTAssertEqual(alerts.filter { $0.rule == "P-003" }.map(\.message), ["驾驶证 29 天后到期"])
        // A long-term licence (null) is not "about to expire", and is not a REVIEW either.
        // (Set through the text: a merge patch's null deletes, which is "not captured".)
        let longTerm = Fixtures.driver.replacingOccurrences(of: #""valid_until": "2031-04-12""#, with: #""valid_until": null"#)
        alerts = generation.evaluate(try record(longTerm))
        XCTAssertFalse(alerts.contains { $0.rule == "P-003" }, alerts.map { "\($0.rule) \($0.reviewReason ?? "")" }.joined(separator: "; "))
        // Born 1966-10-01: 60 on 2026-10-01 at the station (even when written in UTC the day before).
        let id = "11010519661001001" + NationalIDNumber.checkCharacter(forFirst17: "11010519661001001").map(String.init)!
        for (ts, fires) in [("2026-09-30T16:30:00Z", true), ("2026-09-30T15:59:00Z", false)] {
            let d = try record(Fixtures.driver, ["id_card_no": .string(id), "recorded_at": .string(ts)])
            XCTAssertEqual(generation.evaluate(d).contains { $0.rule == "P-004" }, fires, ts)
        }
    }

    // MARK: - Journal contract

    func testJournalFieldsAreExactlyTheContract() throws {
        let r = try record(Fixtures.driver, ["qualification": .object([("number", .string("Q1")), ("holder_id_no", .string("440106198503124219")),
                                                                      ("category", .string("passenger")), ("valid_until", .string("2026-01-01")),
                                                                      ("integrity_grade", .string("AA"))])], file: "kiosk-01-000402.json")
        let a = try XCTUnwrap(generation.evaluate(r).first { $0.rule == "P-001" })
        let fields = a.journalFields
        XCTAssertEqual(fields.map(\.name), ["MESSAGE", "PRIORITY", "MESSAGE_ID", "SYSLOG_IDENTIFIER", "SG_RULE", "SG_RULESET",
                                            "SG_SEVERITY", "SG_ACTION", "SG_RECORD_ID", "SG_RECORD_KIND", "SG_STATION", "SG_KIOSK",
                                            "SG_OFFICER", "SG_TRIP", "SG_PLATE", "SG_SPOOL_FILE", "SG_RECORD_SHA256", "SG_RULES_VERSION"])
        let f = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.value) })
        XCTAssertEqual(f["PRIORITY"], "2")
        XCTAssertEqual(f["MESSAGE_ID"], "5f0c2b9e4d1a4c3e8b7a6f5e4d3c2b1a", "declared id, lower-cased")
        XCTAssertEqual(f["SYSLOG_IDENTIFIER"], "stationguard")
        XCTAssertEqual(f["SG_ACTION"], "REFUSE")
        XCTAssertEqual(f["SG_RECORD_ID"], "kiosk-01:20261001:000402")
        XCTAssertEqual(f["SG_RECORD_KIND"], "driver")
        XCTAssertEqual(f["SG_STATION"], "GZ-SYZ-01")
        XCTAssertEqual(f["SG_TRIP"], "G1203-20261001")
        XCTAssertEqual(f["SG_PLATE"], "粤A12345")
        XCTAssertEqual(f["SG_SPOOL_FILE"], "kiosk-01-000402.json")
        XCTAssertEqual(f["SG_RECORD_SHA256"], r.sha256)
        XCTAssertEqual(f["SG_RULES_VERSION"], generation.version)
        // The ID number in the message is masked: first 6 and last 4 only.
        XCTAssertEqual(f["MESSAGE"], "驾驶员 张伟（440106********4219）从业资格证 2026-01-01 已过期")
        XCTAssertFalse(fields.contains { $0.value.contains("440106198503124219") })
        // The JSON view: lower-case keys without SG_.
        XCTAssertEqual(a.jsonFields.prefix(10).map(\.key), ["message", "priority", "message_id", "syslog_identifier", "rule", "ruleset",
                                                            "severity", "action", "record_id", "record_kind"])
    }

    func testSeverityPriorities() {
        XCTAssertEqual(Severity.allCases.map(\.syslogPriority), [2, 3, 4, 5, 6])
    }

    func testDerivedMessageIDIsStable() throws {
        // Fixed values: a derived MESSAGE_ID must never change between versions or hosts
        // (journalctl MESSAGE_ID=… and the catalog depend on it). sha256("stationguard.rule.v1:" + id)[:32].
        XCTAssertEqual(MessageIDs.derived(ruleID: "DEP-001"), "121770f25cbc01aae88d20586e32a7bb")
        XCTAssertEqual(generation.rules.first { $0.id == "T-001" }?.messageID, "ffdd3a12a74304b32f07ad11a5841395")
        XCTAssertNotEqual(MessageIDs.derived(ruleID: "DEP-002"), MessageIDs.derived(ruleID: "DEP-001"))
    }

    // ID masking: JournalMaskingTests.
}

final class EvaluationEdgeTests: XCTestCase {
    func testNonBoolResultAndMissingTemplateField() throws {
        let s = Scratch()
        s.write("v/edge.yaml", Fixtures.dynResultRuleSet + "\n" + """
          - id: E-002
            title: fires with a hole that cannot be filled
            kind: departure
            when: "!has(record.charter_contract_no)"
            severity: notice
            action: WARN
            message: "合同 {{record.charter_contract_no}} / 班次 {{record.trip_id}}"
          - id: E-003
            title: an error on one side of || is absorbed when the other side is true
            kind: departure
            when: record.charter_contract_no == 'x' || record.adults > 0
            severity: info
            action: WARN
            message: ok
        """)
        let g = try loadRules([s.path("v")])
        let driverAlerts = g.evaluate(try record(Fixtures.driver))
        XCTAssertEqual(driverAlerts.map(\.action), [.review])
        XCTAssertEqual(driverAlerts.first?.reviewReason, "条件结果为 string，不是真或假")
        var en = StationConfig(); en.language = .en
        let english = try loadRules([s.path("v")], config: en).evaluate(try record(Fixtures.driver))
        XCTAssertEqual(english.first?.reviewReason, "the condition gave string, not true or false")
        let dep = g.evaluate(try record(Fixtures.departure))
        XCTAssertEqual(dep.map(\.rule), ["E-002", "E-003"])
        XCTAssertEqual(dep.first?.message, "合同 ? / 班次 G1203-20261001")
        XCTAssertEqual(dep.map(\.action), [.warn, .warn])
    }

    /// A hole spells out at most a bounded number of items and characters: a list a rule builds
    /// from repeated binds (2^30 leaves here) or a long kiosk string cannot flood the journal.
    func testMessageHolesAreBounded() throws {
        var nested = "[1, 1]"
        for _ in 0..<30 { nested = "cel.bind(a, \(nested), [a, a])" }
        let s = Scratch()
        s.write("v/holes.yaml", """
        ruleset: holes
        rules:
          - id: H-001
            title: a shared list in a hole
            kind: departure
            when: "true"
            severity: info
            action: WARN
            message: "n={{\(nested)}} s={{record.route_id + record.route_id.replace('G', 'GGGGGGGGGG')}}"
        """)
        let g = try loadRules([s.path("v")])
        let alert = try XCTUnwrap(g.evaluate(try record(Fixtures.departure, ["route_id": .string(String(repeating: "G", count: 5_000))])).first)
        XCTAssertEqual(alert.action, .warn)
        let parts = alert.message.components(separatedBy: " s=")
        XCTAssertEqual(parts.count, 2)
        XCTAssertTrue(parts[0].hasSuffix("…"), parts[0])
        XCTAssertLessThanOrEqual(parts[0].count, MessageTemplate.holeCharacterLimit + 3)
        XCTAssertEqual(parts[1].count, MessageTemplate.holeCharacterLimit + 1)
    }

    /// A non-bool result is named as CEL's `type()` names it (the words CEL's own errors use).
    func testReviewReasonNamesTheResultTypeAsCELDoes() {
        let cases: [(CEL.Value, String)] = [
            (.null, "null_type"), (.int(1), "int"), (.list([]), "list"),
            (.timestamp(CELTimestamp(seconds: 0, nanos: 0)), "google.protobuf.Timestamp"),
            (.duration(CELDuration(seconds: 1, nanos: 0)), "google.protobuf.Duration"),
        ]
        for (value, name) in cases {
            XCTAssertEqual(RuleGeneration.reviewReason(value), "the condition gave \(name), not true or false")
        }
    }
}

final class ConcurrencyTests: XCTestCase {
    func testConcurrentEvaluationsAgree() throws {
        let s = Scratch()
        s.writeFixtureRuleSets()
        let g = try loadRules([s.path("v")])
        let records = [try record(Fixtures.departure, ["adults": .integer(49)]), try record(Fixtures.departure, ["adults": nil]),
                       try record(Fixtures.driver, ["recorded_at": .string("2026-10-01T03:00:00+08:00")])]
        let expected = records.map { g.evaluate($0).map { "\($0.rule) \($0.action.rawValue) \($0.message)" } }
        XCTAssertEqual(expected.map(\.count), [1, 1, 1])
        let lock = NSLock()
        var mismatches = 0
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            let got = g.evaluate(records[i % 3]).map { "\($0.rule) \($0.action.rawValue) \($0.message)" }
            if got != expected[i % 3] { lock.lock(); mismatches += 1; lock.unlock() }
        }
        XCTAssertEqual(mismatches, 0)
    }
}
