// StrictModes (issue 9, finding 2): a rule file, rule directory or config file that anyone
// but root or the loading user could write is refused, naming path, owner and mode.
import Foundation
import XCTest
@testable import Rules

final class StrictModesTests: XCTestCase {
    func testWorldWritableRuleFileIsRefused() {
        let s = Scratch()
        s.writeFixtureRuleSets()
        let path = s.path("v/capacity.yaml")
        chmod(path, 0o666)
        print("tried: a rule file with mode 0666 (the attack: a local user adds enabled: false)")
        let me = StrictModes.name(of: geteuid())
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary), [
            "\(path): rule file owned by \(me), mode 0666: writable by group and others; not loaded (only root or the daemon's user, \(me), may be able to change it: chown root, chmod go-w)",
        ])
        // The test-only switch loads it.
        XCTAssertNoThrow(try RuleLoader(layers: RuleLayers(directories: [s.path("v")]), strictModes: false).load())
    }

    func testGroupWritableDirectoryIsRefused() {
        let s = Scratch()
        s.writeFixtureRuleSets()
        chmod(s.path("v"), 0o775)
        let me = StrictModes.name(of: geteuid())
        XCTAssertEqual(loadIssues([s.path("v")]).map(\.summary), [
            "\(s.path("v")): rule directory owned by \(me), mode 0775: writable by group; not loaded (only root or the daemon's user, \(me), may be able to change it: chown root, chmod go-w)",
        ])
    }

    func testForeignOwnerIsRefused() throws {
        try XCTSkipUnless(geteuid() == 0, "chown needs root")
        let s = Scratch()
        s.writeFixtureRuleSets()
        let path = s.path("v/papers.yaml")
        XCTAssertEqual(chown(path, 65534, 65534), 0)
        let issues = loadIssues([s.path("v")]).map(\.summary)
        XCTAssertEqual(issues.count, 1)
        XCTAssertTrue(issues[0].hasPrefix("\(path): rule file owned by \(StrictModes.name(of: 65534)), mode 0644: not owned by root or the daemon's user; not loaded"), issues[0])
    }

    func testConfigFileAndItsFolder() throws {
        let s = Scratch()
        let path = s.write("etc/stationguard.yaml", "station_code: GZ-01\n")
        XCTAssertNoThrow(try StationConfig.load(path: path))
        chmod(path, 0o664)
        XCTAssertThrowsError(try StationConfig.load(path: path)) { error in
            XCTAssertEqual((error as? RuleLoadError)?.issues.map(\.message).first?.hasPrefix("config file owned by"), true)
            XCTAssertEqual((error as? RuleLoadError)?.issues.first?.message.contains("mode 0664: writable by group"), true)
        }
        XCTAssertNoThrow(try StationConfig.load(path: path, strictModes: false))
        chmod(path, 0o644)
        chmod(s.path("etc"), 0o777)
        XCTAssertThrowsError(try StationConfig.load(path: path))
        // A sticky folder (like /tmp) is fine: others cannot replace a file they do not own.
        chmod(s.path("etc"), 0o1777)
        XCTAssertNoThrow(try StationConfig.load(path: path))
    }
}
