// `stationguard reload`, the unit's ExecReload: rules checked first, then SIGHUP to the daemon.
import Foundation
import Glibc
import XCTest

final class ReloadCommandTests: XCTestCase {
    func testReloadChecksTheRulesBeforeSignalling() throws {
        let scene = try Scene("reloadcmd")
        defer { scene.remove() }
        // Stands in for the daemon: SIGHUP ends it, so the signal is seen in its exit status.
        let target = try Child("/bin/sleep", ["120"])
        defer { target.signal(SIGKILL); target.wait() }
        let arguments = ["reload", "--rules", scene.vendorRules, "--rules", scene.adminRules,
                         "--config", scene.config, "--pid", String(target.pid)]

        let broken = scene.adminRules + "/broken.yaml"
        try "set: broken\nrules:\n  - id: [unclosed\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try runProgram(binary, arguments)
        XCTAssertEqual(refused.status, 1, refused.err)
        XCTAssertTrue(refused.err.contains(broken + ":"), "the problem names its file:line:col: \(refused.err)")
        XCTAssertTrue(target.isRunning, "nothing may be signalled while the rules do not load")

        try FileManager.default.removeItem(atPath: broken)
        let done = try runProgram(binary, arguments)
        XCTAssertEqual(done.status, 0, done.err)
        XCTAssertEqual(target.wait(), 128 + SIGHUP)
    }

    func testWithoutAPidItIsAUsageError() throws {
        let result = try runProgram(binary, ["reload"])
        XCTAssertEqual(result.status, 2, result.err)
        XCTAssertTrue(result.err.contains("MAINPID"), result.err)
    }
}
