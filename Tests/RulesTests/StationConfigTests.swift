// Station config: defaults, params overrides, and errors located in the config file.
import XCTest
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
                "\(path):3:1: unknown key 'retention' in the station config (allowed: station_code, time_zone, language, done_retention_days, trip_retention_days, params)",
                "\(path):1:12: unknown time zone 'Mars/Olympus' (an IANA name such as Asia/Shanghai or Asia/Urumqi)",
                "\(path):2:11: unknown language 'fr' (zh or en)",
                "\(path):4:22: done_retention_days must be at least 1, found 0",
            ])
        }
    }
}
