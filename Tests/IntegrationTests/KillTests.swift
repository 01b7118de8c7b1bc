// KillTests: SIGKILL the daemon at random moments; every record must still be settled and the
// journal must hold each predicted alert exactly once. Prints the figures.
//
// SG_KILL_TRIALS and SG_KILL_RECORDS change the size (defaults 20 trials of 300 records).
import Foundation
import XCTest

final class KillTests: XCTestCase {
    func testKilledAtRandomMomentsNothingLostNothingTwice() throws {
        let environment = ProcessInfo.processInfo.environment
        let trials = max(1, Int(environment["SG_KILL_TRIALS"] ?? "") ?? 20)
        let perTrial = max(1, Int(environment["SG_KILL_RECORDS"] ?? "") ?? 300)
        let scene = try Scene("kill")
        defer { scene.remove() }
        try killTrials(scene, trials: trials, perTrial: perTrial, label: "kill test")
    }

    /// The same as an unprivileged user (nobody, with the group systemd-journal, as the unit's
    /// user): journald refuses to synchronize, so recovery waits for a marker entry instead.
    /// Fewer trials: the point is the other recovery path, not the count.
    func testKilledAtRandomMomentsWithoutRoot() throws {
        guard let group = getgrnam("systemd-journal") else { throw XCTSkip("no group systemd-journal") }
        let scene = try Scene("killnr")
        defer { scene.remove() }
        // A private journald whose files the group systemd-journal may read, as systemd sets them
        // up on a station (the test machine's journald keeps its files root's only).
        let journald = try PrivateJournald()
        defer { journald.stop() }
        scene.namespacePrefix = journald.prefix
        let opened = try journald.run(["/bin/sh", "-c", "chgrp -R systemd-journal /run/log/journal && chmod -R g+rX /run/log/journal"])
        XCTAssertEqual(opened.status, 0, opened.err)
        for folder in ["", "/tmp", "/new", "/cur", "/done", "/quarantine"] {
            XCTAssertEqual(chown(scene.spool + folder, 65534, 65534), 0)
        }
        // The state directory is the unit's StateDirectory, the service user's own.
        try FileManager.default.createDirectory(atPath: scene.state, withIntermediateDirectories: true)
        XCTAssertEqual(chown(scene.state, 65534, 65534), 0)
        XCTAssertEqual(chmod(scene.root, 0o755), 0)
        scene.daemonPrefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--groups=\(group.pointee.gr_gid)"]
        try killTrials(scene, trials: 4, perTrial: 150, label: "kill test without root")
    }

    func killTrials(_ scene: Scene, trials: Int, perTrial: Int, label: String) throws {

        var staged: [String] = []  // valid records, for the prediction
        var broken: [String] = []  // invalid ones: each quarantined with one record-quarantined event
        var dropped = 0
        var kills = 0
        var midStream = 0  // kills that left records in new/ or cur/
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<trials {
            for index in 0..<perTrial {
                let name = "k\(trial)-\(index).json"
                dropped += 1
                if index % 10 == 9 {  // now and then a bad one, for quarantine
                    try scene.drop(bytes: "{\"record_id\": \"k\(trial)-\(index)\", ", name: name)
                    broken.append(name)
                    continue
                }
                let example = Fixtures.exampleNames[index % Fixtures.exampleNames.count]
                // Every third id carries a national ID number: the journal holds it masked, and
                // recovery must still find those alerts (masked compared with masked).
                let id = index % 3 == 0 ? "\(scene.station)-\(trial)-\(index)-440106198503124219" : "\(scene.station)-\(trial)-\(index)"
                staged.append(try scene.drop(scene.record(example, id: id), name: name))
            }
            // One or two kills: at a random time (start-up, recovery) or when a random share of
            // the trial's records is settled (mid-stream).
            // Odd trials always kill once mid-stream, so every run covers both kinds.
            for kill in 0..<Int.random(in: 1...2, using: &generator) {
                let before = scene.settledCount()
                let daemon = try DaemonProcess(scene, label: "trial\(trial)")
                let atRandomTime = kill == 0 ? trial % 2 == 0 : Bool.random(using: &generator)
                if atRandomTime {
                    Thread.sleep(forTimeInterval: Double.random(in: 0.01...0.3, using: &generator))
                } else {
                    let target = before + Int.random(in: 0..<max(1, (dropped - before) / 2), using: &generator)
                    waitUntil(timeout: 10) { scene.settledCount() >= target }
                }
                daemon.killHard()
                kills += 1
                if !scene.names(in: "new").isEmpty || !scene.names(in: "cur").isEmpty { midStream += 1 }
            }
            let daemon = try DaemonProcess(scene, label: "trial\(trial)-final")
            daemon.waitUntilStarted()
            let settled = waitUntil(timeout: 120) { scene.settledCount() >= dropped } && scene.settledCount() == dropped
            XCTAssertEqual(daemon.stop(), 0)
            XCTAssertTrue(settled, "trial \(trial): settled \(scene.settledCount()) of \(dropped); log:\n\(daemon.log)")
            if !settled { break }
        }

        let predicted = alertKeys(try scene.predictedAlerts(for: staged), idKey: "record_id", ruleKey: "rule")
        let stored = alertKeys(try scene.journalAlerts(), idKey: "SG_RECORD_ID", ruleKey: "SG_RULE")
        var counts: [String: Int] = [:]
        for key in stored { counts[key, default: 0] += 1 }
        let predictedSet = Set(predicted)
        let lost = dropped - scene.settledCount()
        let duplicated = counts.values.reduce(0) { $0 + max(0, $1 - 1) }
        let missing = predictedSet.filter { counts[$0] == nil }.count
        let unexpected = counts.keys.filter { !predictedSet.contains($0) }.count
        // A refused record's event is looked up too (by SG_CLAIM): one per file, however the kills fell.
        var events: [String: Int] = [:]
        for name in try scene.journalEvents("record-quarantined").compactMap({ $0["SG_SPOOL_FILE"] }) { events[name, default: 0] += 1 }
        let eventsRepeated = events.values.reduce(0) { $0 + max(0, $1 - 1) }
        let eventsMissing = broken.filter { events[$0] == nil }.count
        print("\(label): trials \(trials), records \(dropped), kills \(kills), lost \(lost), duplicated \(duplicated), missing \(missing) (kills mid-stream \(midStream), unexpected \(unexpected); \(predicted.count) alerts predicted); refused \(broken.count), record-quarantined events repeated \(eventsRepeated), missing \(eventsMissing)")
        XCTAssertEqual(eventsRepeated, 0, "record-quarantined events written twice: \(events.filter { $0.value > 1 })")
        XCTAssertEqual(eventsMissing, 0, "refused records without their record-quarantined event")
        XCTAssertEqual(Set(events.keys), Set(broken))
        XCTAssertGreaterThan(midStream, 0, "no kill hit the daemon mid-stream")
        XCTAssertEqual(lost, 0, "records not settled")
        XCTAssertEqual(duplicated, 0, "alerts stored more than once")
        XCTAssertEqual(missing, 0, "predicted alerts not in the journal")
        XCTAssertEqual(unexpected, 0, "alerts in the journal that check does not predict")
        XCTAssertEqual(scene.names(in: "new"), [])
        XCTAssertEqual(scene.names(in: "cur"), [])
    }
}
