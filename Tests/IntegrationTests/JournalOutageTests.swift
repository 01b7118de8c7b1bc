// JournalOutageTests: journald stopped and started again while records flow. Runs beside a
// private journald (scripts/private-journald) in a mount namespace of its own, so the
// machine's journald is never touched; the daemon and journalctl join it with nsenter.
import Foundation
import XCTest

final class JournalOutageTests: XCTestCase {
    func testJournaldStoppedAndRestartedMidStreamLosesNothing() throws {
        let scene = try Scene("outage")
        defer { scene.remove() }

        // The namespace lives as long as `read` waits on our pipe.
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)  // only `read` may hold the write end open
        let namespace = try Child(repository.path + "/scripts/private-journald", ["/bin/sh", "-c", "read line"], stdin: ends[0])
        close(ends[0])
        defer {
            close(ends[1])
            namespace.wait()
        }
        let pid = "\(namespace.pid)"
        scene.namespacePrefix = ["/usr/bin/nsenter", "-t", pid, "-m"]
        func inside(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
            try runProgram("/usr/bin/nsenter", ["-t", pid, "-m", "/usr/bin/env",
                                                "SG_PRIVATE_JOURNALD=/run/systemd/journal/.private-journald"] + arguments)
        }
        XCTAssertTrue(try waitUntil(timeout: 20) {
            try inside(["test", "-f", "/run/systemd/journal/.private-journald/journald.pid"]).status == 0
                && inside(["test", "-S", "/run/systemd/journal/socket"]).status == 0
        }, "private journald did not start")

        let daemon = try DaemonProcess(scene)
        defer { daemon.stop() }
        XCTAssertTrue(try waitUntil(timeout: 30) { try !scene.journalEvents("started").isEmpty }, daemon.log)

        var staged: [String] = []
        func feed(_ range: Range<Int>) throws {
            for index in range {
                let example = Fixtures.exampleNames[index % Fixtures.exampleNames.count]
                staged.append(try scene.drop(scene.record(example, id: "\(scene.station)-\(index)"), name: "r\(index).json"))
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        try feed(0..<60)
        let stopped = try inside([repository.path + "/scripts/private-journald", "stop"])
        XCTAssertEqual(stopped.status, 0, stopped.err)
        try feed(60..<120)
        XCTAssertTrue(waitUntil(timeout: 20) { daemon.log.contains("journald unavailable") }, daemon.log)
        Thread.sleep(forTimeInterval: 1)
        XCTAssertLessThan(scene.doneNames().count, staged.count, "records wait while journald is down")
        let started = try inside([repository.path + "/scripts/private-journald", "start"])
        XCTAssertEqual(started.status, 0, started.err)
        try feed(120..<150)

        XCTAssertTrue(waitUntil(timeout: 60) { scene.doneNames().count == staged.count },
                      "settled \(scene.doneNames().count) of \(staged.count); log:\n\(daemon.log)")
        XCTAssertEqual(scene.names(in: "cur"), [])
        XCTAssertTrue(try waitUntil(timeout: 20) { try !scene.journalEvents("journal-recovered").isEmpty }, daemon.log)
        let unavailable = try scene.journalEvents("journal-unavailable")
        XCTAssertEqual(unavailable.count, 1, "one outage, reported once journald was back")
        XCTAssertEqual(unavailable.first?["MESSAGE_ID"], "367d58dd36854f89ad488923e919f666")
        let predicted = alertKeys(try scene.predictedAlerts(for: staged), idKey: "record_id", ruleKey: "rule")
        let stored = alertKeys(try scene.journalAlerts(), idKey: "SG_RECORD_ID", ruleKey: "SG_RULE")
        XCTAssertEqual(stored.count, predicted.count, "each alert exactly once")
        XCTAssertEqual(stored, predicted)
        XCTAssertEqual(daemon.stop(), 0)
    }
}
