// WriterTests: records handed over by real writers (stationguard submit, rsync), including an
// interrupted `rsync --partial` that leaves a truncated file under the final name.
import Foundation
import XCTest

final class WriterTests: XCTestCase {
    func testSubmitValidatesFirstAndRefusesABadRecordWithItsReason() throws {
        let scene = try Scene("submit")
        defer { scene.remove() }
        let good = try scene.write(scene.record("vehicle-pass", id: "\(scene.station)-1"), name: "good.json")
        let bad = try scene.write(scene.record("vehicle-pass", id: "\(scene.station)-2", patch: ["tech_grade": "one"]), name: "bad.json")

        let accepted = try runProgram(binary, ["submit", good, "--spool", scene.spool])
        XCTAssertEqual(accepted.status, 0, accepted.err)
        XCTAssertEqual(scene.names(in: "new"), ["good.json"])
        XCTAssertEqual(scene.names(in: "tmp"), [])

        let refused = try runProgram(binary, ["submit", bad, "--spool", scene.spool])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("bad.json: refused:") && refused.err.contains("tech_grade"), refused.err)
        XCTAssertEqual(scene.names(in: "new"), ["good.json"], "a refused record is not handed over")

        let again = try runProgram(binary, ["submit", good, "--spool", scene.spool])
        XCTAssertEqual(again.status, 1, "the name is taken while the first waits")

        let noSpool = try runProgram(binary, ["submit", good, "--spool", scene.root + "/no-such-spool"])
        XCTAssertEqual(noSpool.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scene.root + "/no-such-spool"))
    }

    func testRsyncIntoNewAndAnInterruptedPartialCopy() throws {
        let scene = try Scene("rsync")
        defer { scene.remove() }
        let daemon = try DaemonProcess(scene)
        defer { daemon.stop() }
        XCTAssertTrue(waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: scene.spool + "/daemon.lock") })

        // A plain rsync: a dot-temp file renamed into place (IN_MOVED_TO).
        let plain = try scene.write(scene.record("departure-overcapacity", id: "\(scene.station)-plain"), name: "plain.json")
        let copied = try runProgram("/usr/bin/rsync", [plain, scene.spool + "/new/"])
        XCTAssertEqual(copied.status, 0, copied.err)

        // A big record (a kept unknown field pads it), copied slowly and interrupted: rsync --partial
        // renames what it has into the final name, a truncated record.
        var record = scene.record("vehicle-pass", id: "\(scene.station)-big")
        record["padding"] = String(repeating: "x", count: 300_000)
        let big = try scene.write(record, name: "big.json")
        let interrupted = try runProgram("/usr/bin/timeout", ["-s", "INT", "1.5", "/usr/bin/rsync", "--partial", "--bwlimit=50",
                                                              big, scene.spool + "/new/"])
        XCTAssertNotEqual(interrupted.status, 0, "rsync was interrupted")
        XCTAssertTrue(waitUntil(timeout: 20) { scene.quarantinedNames() == ["big.json"] }, "quarantine: \(scene.quarantinedNames()); log:\n\(daemon.log)")
        let reason = scene.reason(of: "big.json") ?? ""
        XCTAssertTrue(reason.contains("JSON") || reason.contains("json"), reason)

        // The complete copy arrives later and is processed normally.
        let complete = try runProgram("/usr/bin/rsync", [big, scene.spool + "/new/"])
        XCTAssertEqual(complete.status, 0, complete.err)
        XCTAssertTrue(waitUntil(timeout: 20) { scene.doneNames() == ["big.json", "plain.json"] }, "done: \(scene.doneNames())")

        let predicted = try scene.predictedAlerts(for: [plain, big])
        XCTAssertEqual(alertKeys(try scene.journalAlerts(), idKey: "SG_RECORD_ID", ruleKey: "SG_RULE"),
                       alertKeys(predicted, idKey: "record_id", ruleKey: "rule"))
        XCTAssertEqual(daemon.stop(), 0)
    }
}

