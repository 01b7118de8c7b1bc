// Station config: defaults, params overrides, and errors located in the config file.
import XCTest
import Records
@testable import Rules

final class StationConfigTests: XCTestCase {
    func testMissingFileMeansDefaults() throws {
        let c = try StationConfig.load(path: "/nonexistent/stationguard.yaml")
        XCTAssertEqual(c.timeZone.identifier, "Asia/Shanghai")
        XCTAssertEqual(c.language, .zh)
        XCTAssertEqual(c.doneRetentionDays, 180)
        XCTAssertNil(c.stationCode)
        XCTAssertThrowsError(try StationConfig.load(path: "/nonexistent/stationguard.yaml", mustExist: true))
    }

    func testShippedConfigLoads() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/stationguard.yaml").path
        let c = try StationConfig.load(path: path, mustExist: true)
        XCTAssertEqual(c.timeZone.identifier, "Asia/Shanghai")
    }

    func testParamsOverrideChangesTheOutcome() throws {
        let s = Scratch()
        s.write("v/capacity.yaml", Fixtures.capacity)
        let departure = try record(Fixtures.departure)   // 2 lap children on 49 seats
        XCTAssertFalse(try loadRules([s.path("v")]).evaluate(departure).contains { $0.rule == "T-002" })
        let path = s.write("stationguard.yaml", """
        station_code: GZ-SYZ-01
        language: en
        params:
          capacity: {free_child_ratio: 0.02}
        """)
        let config = try StationConfig.load(path: path)
        let alerts = try loadRules([s.path("v")], config: config).evaluate(departure)
        XCTAssertEqual(alerts.map(\.rule), ["T-002"])
        XCTAssertEqual(alerts.first?.message, "免票儿童 2 人，超过 0.02", "no message_en: falls back to message")
        // An integer is accepted where the default is a double.
        s.write("int.yaml", "params:\n  capacity:\n    free_child_ratio: 0\n")
        XCTAssertEqual(try loadRules([s.path("v")], config: try StationConfig.load(path: s.path("int.yaml"))).evaluate(departure).map(\.rule), ["T-002"])
    }

    func testConfigErrorsAreLocated() throws {
        let s = Scratch()
        s.write("v/capacity.yaml", Fixtures.capacity)
        let path = s.write("stationguard.yaml", """
        station_code: GZ-SYZ-01
        params:
          capacity:
            free_child_ratio: "ten percent"
            free_child_rate: 0.1
            exempt_routes: [1, 2]
          overcapacity:
            x: 1
        """)
        let config = try StationConfig.load(path: path)
        XCTAssertEqual(loadIssues([s.path("v")], config: config).map(\.summary), [
            "\(path):4:23: params: capacity.free_child_ratio: must be double like the default 0.1, found string 'ten percent'",
            "\(path):5:5: params: rule set 'capacity' has no param 'free_child_rate' (it has: free_child_ratio, exempt_routes)",
            "\(path):6:20: params: capacity.exempt_routes: must be list of string like the default ['R-0'], found list of int [1, 2]",
            "\(path):7:3: params: unknown rule set 'overcapacity'",
        ])
    }

    func testStrictConfigKeys() throws {
        let s = Scratch()
        let path = s.write("c.yaml", "time_zone: Mars/Olympus\nlanguage: fr\nretention: 3\ndone_retention_days: 0\n")
        XCTAssertThrowsError(try StationConfig.load(path: path)) { e in
            XCTAssertEqual((e as? RuleLoadError)?.issues.map(\.summary), [
                "\(path):3:1: unknown key 'retention' in the station config (allowed: station_code, time_zone, language, done_retention_days, trip_retention_days, catch_up_alerts_per_second, strict_holiday_mode, actions, params)",
                "\(path):1:12: unknown time zone 'Mars/Olympus' (an IANA name such as Asia/Shanghai or Asia/Urumqi)",
                "\(path):2:11: unknown language 'fr' (zh or en)",
                "\(path):4:22: done_retention_days must be at least 1, found 0",
            ])
        }
    }

    func testCatchUpRateHasADefaultAndMustBePositive() throws {
        let s = Scratch()
        XCTAssertEqual(StationConfig().catchUpAlertsPerSecond, 5000)
        XCTAssertEqual(try StationConfig.load(path: s.write("a.yaml", "catch_up_alerts_per_second: 800\n")).catchUpAlertsPerSecond, 800)
        let path = s.write("b.yaml", "catch_up_alerts_per_second: 0\n")
        XCTAssertThrowsError(try StationConfig.load(path: path)) { e in
            XCTAssertEqual((e as? RuleLoadError)?.issues.map(\.summary),
                           ["\(path):1:29: catch_up_alerts_per_second must be at least 1, found 0"])
        }
    }

    // MARK: - Station strictness (actions:, strict_holiday_mode)

    static var shippedRules: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rules").path
    }

    /// The shipped vehicle record with an assessment from 2025-06-02 (overdue: DOC-007) and no
    /// safety notices posted (VEH-006).
    func strictnessRecord() throws -> Records.Record {
        let path = Self.shippedRules + "/tests/records/vehicle-clean.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "\"tech_grade_assessed_on\": \"2026-06-02\"", with: "\"tech_grade_assessed_on\": \"2025-06-02\"")
            .replacingOccurrences(of: "\"safety_notices_posted\": true", with: "\"safety_notices_posted\": false")
        return try record(text)
    }

    func actions(_ config: StationConfig) throws -> [String: RuleAction] {
        let alerts = try loadRules([Self.shippedRules], config: config).evaluate(try strictnessRecord())
        return Dictionary(alerts.map { ($0.rule, $0.action) }, uniquingKeysWith: { a, _ in a })
    }

    func testDefaultsWarnAndAPerRuleOverrideHolds() throws {
        XCTAssertEqual(try actions(StationConfig()), ["DOC-007": .warn, "VEH-006": .warn])
        let s = Scratch()
        let path = s.write("c.yaml", "actions: {DOC-007: HOLD}\n")
        XCTAssertEqual(try actions(try StationConfig.load(path: path)), ["DOC-007": .hold, "VEH-006": .warn])
    }

    func testStrictHolidayModeHoldsTheRulesTaggedForIt() throws {
        let s = Scratch()
        let path = s.write("c.yaml", "strict_holiday_mode: true\n")
        let config = try StationConfig.load(path: path)
        XCTAssertEqual(try actions(config), ["DOC-007": .hold, "VEH-006": .hold])
        // Which rules: the catalogue's "WARN (HOLD if cfg.strict)" ones and the three the 黄金周 needs.
        let strict = try loadRules([Self.shippedRules], config: config).rules.filter { $0.tags.contains(StationConfig.strictTag) }
        XCTAssertEqual(Set(strict.map(\.id)), ["DOC-007", "DOC-008", "VEH-006", "DRV-003", "DRV-007", "DRV-017"])
        XCTAssertTrue(strict.allSatisfy { $0.action == .hold })
        // A per-rule action wins over the mode.
        let both = s.write("both.yaml", "strict_holiday_mode: true\nactions:\n  VEH-006: WARN\n")
        XCTAssertEqual(try actions(try StationConfig.load(path: both)), ["DOC-007": .hold, "VEH-006": .warn])
    }

    func testActionsErrorsAreLocated() throws {
        let s = Scratch()
        let bad = s.write("bad.yaml", "actions:\n  DOC-007: REVIEW\n  VEH-006: hold\n")
        XCTAssertThrowsError(try StationConfig.load(path: bad)) { e in
            XCTAssertEqual((e as? RuleLoadError)?.issues.map(\.summary), [
                "\(bad):2:12: actions: DOC-007: must be HOLD, REFUSE or WARN, found 'REVIEW'",
                "\(bad):3:12: actions: VEH-006: must be HOLD, REFUSE or WARN, found 'hold'",
            ])
        }
        let unknown = s.write("unknown.yaml", "actions:\n  DOC-077: HOLD\n")
        XCTAssertEqual(loadIssues([Self.shippedRules], config: try StationConfig.load(path: unknown)).map(\.summary),
                       ["\(unknown):2:3: actions: no active rule 'DOC-077'"])
    }

    func testRuleListShowsTheActionInForce() throws {
        let s = Scratch()
        let path = s.write("c.yaml", "strict_holiday_mode: true\nactions: {DOC-001: WARN}\n")
        let listing = RuleListing.make(layers: RuleLayers(directories: [Self.shippedRules]), config: try StationConfig.load(path: path))
        let rows = Dictionary(listing.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(rows["DOC-007"].map { [$0.action, $0.declaredAction] }, ["HOLD", "WARN"])
        XCTAssertEqual(rows["DOC-001"].map { [$0.action, $0.declaredAction] }, ["WARN", "HOLD"])
        XCTAssertEqual(rows["DOC-014"].map { [$0.action, $0.declaredAction] }, ["WARN", "WARN"])
    }
}
