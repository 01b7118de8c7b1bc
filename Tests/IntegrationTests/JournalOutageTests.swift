// JournalOutageTests: journald stopped and started again while records flow. Runs beside a
// private journald (scripts/private-journald) in a mount namespace of its own, so the
// machine's journald is never touched; the daemon and journalctl join it with nsenter.
import Foundation
import XCTest

final class JournalOutageTests: XCTestCase {
    func testJournaldStoppedAndRestartedMidStreamLosesNothing() throws {
        let scene = try Scene("outage")
        defer { scene.remove() }

        let journald = try PrivateJournald()
        defer { journald.stop() }
        scene.namespacePrefix = journald.prefix
        func inside(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) { try journald.run(arguments) }

        let manager = try NotifySocket(path: scene.root + "/notify")
        let daemon = try DaemonProcess(scene, environment: ["NOTIFY_SOCKET": manager.path])
        defer { daemon.stop() }
        XCTAssertTrue(try waitUntil(timeout: 30) { try !scene.journalEvents("started").isEmpty }, daemon.log)

        var staged: [String] = []
        var broken: [String] = []  // every tenth record is not JSON: quarantined, announced once
        func feed(_ range: Range<Int>) throws {
            for index in range {
                if index % 10 == 5 {
                    try scene.drop(bytes: "{\"record_id\": \"cut off", name: "bad\(index).json")
                    broken.append("bad\(index).json")
                } else {
                    let example = Fixtures.exampleNames[index % Fixtures.exampleNames.count]
                    staged.append(try scene.drop(scene.record(example, id: "\(scene.station)-\(index)"), name: "r\(index).json"))
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        try feed(0..<60)
        let stopped = try inside([repository.path + "/scripts/private-journald", "stop"])
        XCTAssertEqual(stopped.status, 0, stopped.err)
        let outageBegan = Date()
        try feed(60..<120)
        XCTAssertTrue(waitUntil(timeout: 20) { daemon.log.contains("journald unavailable") }, daemon.log)
        let statuses = manager.receive(for: 3).filter { $0.contains("STATUS=") }
        XCTAssertTrue(statuses.contains { $0.contains("journal unavailable since") && $0.contains("records wait") }, "\(statuses)")
        XCTAssertLessThan(scene.doneNames().count, staged.count, "records wait while journald is down")
        let started = try inside([repository.path + "/scripts/private-journald", "start"])
        XCTAssertEqual(started.status, 0, started.err)
        let outage = Date().timeIntervalSince(outageBegan)
        try feed(120..<150)

        XCTAssertTrue(waitUntil(timeout: 60) { scene.doneNames().count == staged.count },
                      "settled \(scene.doneNames().count) of \(staged.count); log:\n\(daemon.log)")
        XCTAssertTrue(waitUntil(timeout: 30) { scene.names(in: "quarantine").filter { $0.hasSuffix(".json") }.count == broken.count },
                      "quarantined \(scene.names(in: "quarantine")) of \(broken); log:\n\(daemon.log)")
        XCTAssertEqual(scene.names(in: "cur"), [])
        XCTAssertTrue(try waitUntil(timeout: 20) { try !scene.journalEvents("journal-recovered").isEmpty }, daemon.log)
        // Each refused file announced exactly once, though some were claimed before the outage
        // and recovered after it (their events looked up by SG_CLAIM).
        let quarantined = try scene.journalEvents("record-quarantined").compactMap { $0["SG_SPOOL_FILE"] }
        XCTAssertEqual(quarantined.sorted(), broken.sorted(), "one record-quarantined event per broken file")
        let unavailable = try scene.journalEvents("journal-unavailable")
        XCTAssertEqual(unavailable.count, 1, "one outage, reported once journald was back")
        XCTAssertEqual(unavailable.first?["MESSAGE_ID"], "367d58dd36854f89ad488923e919f666")
        let message = unavailable.first?["MESSAGE"] ?? ""
        XCTAssertTrue(message.hasPrefix("journald 曾中断 "), message)
        // The whole outage, from the first failure (a failed recovery does not restart the count).
        let reported = Int(message.dropFirst("journald 曾中断 ".count).prefix { $0.isNumber }) ?? -1
        print("outage: stopped for \(String(format: "%.1f", outage)) s, reported \(reported) s; refused files \(broken.count), record-quarantined events \(quarantined.count)")
        XCTAssertGreaterThanOrEqual(reported, Int(outage) - 2, message)
        XCTAssertEqual(try scene.journalEvents("journal-recovered").first?["MESSAGE"], "journald 已恢复；cur/ 中的记录已恢复处理，new/ 已重新扫描")
        let predicted = alertKeys(try scene.predictedAlerts(for: staged), idKey: "record_id", ruleKey: "rule")
        let stored = alertKeys(try scene.journalAlerts(), idKey: "SG_RECORD_ID", ruleKey: "SG_RULE")
        XCTAssertEqual(stored.count, predicted.count, "each alert exactly once")
        XCTAssertEqual(stored, predicted)
        XCTAssertEqual(daemon.stop(), 0)
    }
}

extension JournalOutageTests {
    /// journald frozen (SIGSTOP) for a while: the watchdog keeps pinging (its timer does not
    /// wait on the journal), STATUS= says the journal is in trouble, and once journald runs
    /// again every record is settled with its alerts stored exactly once.
    func testStalledJournaldKeepsTheWatchdogAndLosesNothing() throws {
        let scene = try Scene("stall")
        defer { scene.remove() }
        let journald = try PrivateJournald()
        defer { journald.stop() }
        scene.namespacePrefix = journald.prefix
        let manager = try NotifySocket(path: scene.root + "/notify")
        let daemon = try DaemonProcess(scene, environment: ["NOTIFY_SOCKET": manager.path, "WATCHDOG_USEC": "30000000"])
        defer { daemon.stop() }
        XCTAssertTrue(daemon.waitUntilStarted(), daemon.log)

        var staged: [String] = []
        for index in 0..<40 {
            let example = Fixtures.exampleNames[index % Fixtures.exampleNames.count]
            staged.append(try scene.drop(scene.record(example, id: "\(scene.station)-\(index)"), name: "s\(index).json"))
        }
        XCTAssertEqual(try journald.run([repository.path + "/scripts/private-journald", "stall"]).status, 0)
        for index in 40..<80 {
            let example = Fixtures.exampleNames[index % Fixtures.exampleNames.count]
            staged.append(try scene.drop(scene.record(example, id: "\(scene.station)-\(index)"), name: "s\(index).json"))
        }
        let during = manager.receive(for: 12)
        XCTAssertEqual(try journald.run([repository.path + "/scripts/private-journald", "resume"]).status, 0)

        XCTAssertGreaterThanOrEqual(during.filter { $0.contains("WATCHDOG=1") }.count, 4, "pings while journald is frozen: \(during)")
        XCTAssertTrue(during.contains { $0.contains("journal stalled") || $0.contains("journal unavailable") }, "\(during)")
        XCTAssertTrue(waitUntil(timeout: 60) { scene.doneNames().count == staged.count },
                      "settled \(scene.doneNames().count) of \(staged.count); log:\n\(daemon.log)")
        let predicted = alertKeys(try scene.predictedAlerts(for: staged), idKey: "record_id", ruleKey: "rule")
        XCTAssertEqual(alertKeys(try scene.journalAlerts(), idKey: "SG_RECORD_ID", ruleKey: "SG_RULE"), predicted)
        XCTAssertEqual(daemon.stop(), 0)
    }
}
