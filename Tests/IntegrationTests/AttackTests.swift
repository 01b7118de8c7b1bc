// AttackTests (issue 9): each attack that took a station offline or deceived it, replayed
// against the real daemon and the real journald. The daemon runs as under the unit: its stdout
// and stderr are journald's stream with level prefixes (systemd-cat --level-prefix=true), and
// JOURNAL_STREAM names that stream. Each test prints what it tried and "lost N, duplicated N".
import Foundation
import XCTest

final class AttackTests: XCTestCase {
    // MARK: - Running the daemon with stderr into the journal

    /// `stationguard run` whose stderr is a journald stream (identifier `tag`), as under the
    /// unit; with `journalStream` JOURNAL_STREAM names that stream, as systemd sets it.
    final class JournaledDaemon {
        let child: Child
        let tag: String
        init(_ scene: Scene, journalStream: Bool = true) throws {
            tag = "sg-it-" + UUID().uuidString.prefix(8).lowercased()
            let exportStream = journalStream ? "JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) " : ""
            child = try Child("/usr/bin/systemd-cat", ["--level-prefix=true", "-t", tag, "/bin/sh", "-c",
                                                       "\(exportStream)exec \"$@\"", "sh", binary] + scene.runArguments)
        }
        var isRunning: Bool { child.isRunning }
        @discardableResult
        func stop() -> Int32 {
            child.signal(SIGTERM)
            if !waitUntil(timeout: 20, { !child.isRunning }) { child.signal(SIGKILL) }
            return child.wait()
        }
        /// What the daemon wrote on stderr, as journald stored it.
        func stderrEntries(_ scene: Scene) throws -> [[String: String]] {
            try scene.journalEntries("SYSLOG_IDENTIFIER=\(tag)")
        }
    }

    func startedDaemon(_ scene: Scene, journalStream: Bool = true) throws -> JournaledDaemon {
        let daemon = try JournaledDaemon(scene, journalStream: journalStream)
        let up = try waitUntil(timeout: 30) { try !scene.journalEvents("started").isEmpty || !daemon.isRunning }
        XCTAssertTrue(up && daemon.isRunning, "daemon did not start")
        return daemon
    }

    /// Drops records, waits until all are settled, and returns (lost, duplicated) against what
    /// `check` predicts for the accepted ones.
    func settleAndCount(_ scene: Scene, dropped: Int, staged: [String], predicted known: [String]? = nil,
                        timeout: Double = 60) throws -> (lost: Int, duplicated: Int) {
        waitUntil(timeout: timeout) { scene.settledCount() >= dropped }
        let predicted = try known ?? alertKeys(try scene.predictedAlerts(for: staged), idKey: "record_id", ruleKey: "rule")
        var counts: [String: Int] = [:]
        for key in alertKeys(try scene.journalAlerts(), idKey: "SG_RECORD_ID", ruleKey: "SG_RULE") { counts[key, default: 0] += 1 }
        let missing = Set(predicted).filter { counts[$0] == nil }.count
        let lost = (dropped - scene.settledCount()) + missing
        let duplicated = counts.values.reduce(0) { $0 + max(0, $1 - 1) }
        return (lost, duplicated)
    }

    // MARK: - Finding 1: the YAML alias bomb at a hot reload

    func testAliasBombAtReloadIsRejectedAndRulesStay() throws {
        let scene = try Scene("bomb")
        defer { scene.remove() }
        let daemon = try startedDaemon(scene)
        defer { daemon.stop() }
        // What the rules in force say about the record dropped after the attack (check would
        // refuse the admin directory once the bomb is in it).
        let record = scene.record("driver-alcohol", id: "\(scene.station)-bomb-1")
        let predicted = alertKeys(try scene.predictedAlerts(for: [try scene.write(record, name: "after.json")]), idKey: "record_id", ruleKey: "rule")
        var lines = ["ruleset: bomb", "params:", "  l0: {default: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]}"]
        for level in 1..<7 {
            lines.append("  l\(level): {default: &l\(level) [\(Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ","))]}")
        }
        lines += ["rules:", "  - {id: B-001, title: t, kind: driver, when: 'true', severity: notice, action: WARN, message: m}"]
        let bomb = lines.joined(separator: "\n") + "\n"
        let path = scene.adminRules + "/bomb.yaml"
        try bomb.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        print("tried: a \(bomb.utf8.count)-byte rule file with a 7-level alias bomb, hot-reloaded, then `rules check` on it")
        var rejected: [String: String]?
        try waitUntil(timeout: 30) {
            rejected = try scene.journalEvents("rules-rejected").first
            return rejected != nil || !daemon.isRunning
        }
        XCTAssertTrue(daemon.isRunning, "the daemon died at the reload")
        XCTAssertEqual(rejected?["SG_ISSUES"]?.contains("\(path):3:17: YAML anchor '&l0'"), true, "\(rejected ?? [:])")
        // The rules in force still work.
        let staged = [try scene.drop(record, name: "after.json")]
        let (lost, duplicated) = try settleAndCount(scene, dropped: 1, staged: staged, predicted: predicted)
        let started = Date()
        let check = try runProgram(binary, ["rules", "check", "--rules", scene.adminRules])
        let seconds = Date().timeIntervalSince(started)
        print("rules check on the bomb: exit \(check.status) in \(String(format: "%.2f", seconds)) s: \(check.err.split(separator: "\n").first ?? "")")
        XCTAssertEqual(check.status, 1)
        print("alias bomb: lost \(lost), duplicated \(duplicated)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
    }

    // MARK: - Finding 2: a rule file others can write

    func testWorldWritableRuleFileIsRefusedAndTheRuleStillFires() throws {
        let scene = try Scene("strict")
        defer { scene.remove() }
        let daemon = try startedDaemon(scene)
        defer { daemon.stop() }
        let record = scene.record("driver-alcohol", id: "\(scene.station)-strict-1")
        let predicted = alertKeys(try scene.predictedAlerts(for: [try scene.write(record, name: "drunk.json")]), idKey: "record_id", ruleKey: "rule")
        // The attack: a local user switches the alcohol rule off in a file anyone may write.
        let path = scene.adminRules + "/testset.yaml"
        try Fixtures.rules.replacingOccurrences(of: "    action: REFUSE\n    message: \"司机", with: "    action: REFUSE\n    enabled: false\n    message: \"司机")
            .write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o666)
        print("tried: an admin-layer copy of the rule set with the alcohol rule disabled, mode 0666")
        var rejected: [String: String]?
        try waitUntil(timeout: 30) {
            rejected = try scene.journalEvents("rules-rejected").first
            return rejected != nil
        }
        let message = rejected?["MESSAGE"] ?? ""
        XCTAssertTrue(message.contains("\(path): rule file owned by root (uid 0), mode 0666: writable by group and others"), message)
        let staged = [try scene.drop(record, name: "drunk.json")]
        let (lost, duplicated) = try settleAndCount(scene, dropped: 1, staged: staged, predicted: predicted)
        let fired = try scene.journalAlerts().filter { $0["SG_RULE"] == "IT-DRV-1" }.count
        print("world-writable rule file: rejected, IT-DRV-1 fired \(fired) time(s); lost \(lost), duplicated \(duplicated)")
        XCTAssertEqual(fired, 1)
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
        // `rules check` and `check` refuse the directory too; the test-only switch loads it.
        let check = try runProgram(binary, ["rules", "check", "--rules", scene.adminRules])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.err.contains("mode 0666"), check.err)
        XCTAssertEqual(try runProgram(binary, ["rules", "check", "--insecure-rules", "--rules", scene.adminRules]).status, 0)
    }

    // MARK: - Findings 3 and 4: forged journal entries, control characters, ID numbers

    func testKioskTextCannotForgeEntriesOrLeakIDs() throws {
        let scene = try Scene("forge")
        defer { scene.remove() }
        let daemon = try startedDaemon(scene)
        defer { daemon.stop() }
        // A refused record whose name carries a line break and a priority prefix.
        let forgedName = "x.json\n<0>stationguard: DRV-011 HOLD lifted by duty officer.json"
        try scene.drop(bytes: "{\"record_id\": \"11010519491231002X\", \"id_card_no\": \"110105 1949 1231 002X\"", name: forgedName)
        // An accepted record whose text fields carry terminal escapes and an ID with separators.
        var record = scene.record("driver-alcohol", id: "\(scene.station)-forge-1")
        record["driver_name"] = "张伟\u{1B}[2J\u{7}\n<0>HOLD lifted 110105-1949-1231-002X"
        let staged = [try scene.drop(record, name: "escapes.json")]
        // An invalid ID number in its own field: the refusal quotes it.
        var invalid = scene.record("driver-alcohol", id: "\(scene.station)-forge-2")
        invalid["id_card_no"] = "11010519491231002Y"
        try scene.drop(invalid, name: "bad-id.json")
        print("tried: a file name with \\n<0>, a driver_name with ESC/BEL/newline and a hyphenated ID, an invalid ID in id_card_no")
        let (lost, duplicated) = try settleAndCount(scene, dropped: 3, staged: staged)

        // Nothing at a forged priority, no raw control character, no ID digits anywhere.
        let journal = try scene.journalEntries("SG_SPOOL=\(scene.spool)") + scene.journalAlerts() + daemon.stderrEntries(scene)
        for entry in journal {
            for (field, value) in entry where !field.hasPrefix("_") && !field.hasPrefix("__") {
                XCTAssertFalse(value.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F }, "\(field)=\(value.debugDescription)")
                for leak in ["11010519491231002", "1949-1231", "1949 1231"] where field != "SG_ISSUES" {
                    XCTAssertFalse(value.contains(leak), "\(field)=\(value)")
                }
            }
            XCTAssertNotEqual(entry["PRIORITY"], "0", "\(entry)")
        }
        let quarantined = try scene.journalEvents("record-quarantined")
        XCTAssertEqual(quarantined.count, 2)
        XCTAssertTrue(quarantined.contains { $0["SG_SPOOL_FILE"] == "x.json\\n<0>stationguard: DRV-011 HOLD lifted by duty officer.json" }, "\(quarantined)")
        let alert = try scene.journalAlerts().first { $0["SG_RULE"] == "IT-DRV-1" }
        XCTAssertEqual(alert?["MESSAGE"]?.contains("张伟\\x1b[2J\\x07\\n<0>HOLD lifted 110105********002X"), true, "\(alert ?? [:])")
        for name in scene.quarantinedNames() {
            let reason = scene.reason(of: name) ?? ""
            XCTAssertFalse(reason.contains("11010519491231002"), reason)
            XCTAssertFalse(reason.dropLast().contains("\n"), reason.debugDescription)
        }
        // Log once: with JOURNAL_STREAM, the quarantines are journal events only, not stderr lines too.
        let stderrLines = try daemon.stderrEntries(scene)
        XCTAssertFalse(stderrLines.contains { $0["MESSAGE", default: ""].contains("quarantined") }, "\(stderrLines)")
        // `check` and `submit` print no raw escape and no ID either.
        let checked = try runProgram(binary, ["check", "--rules", scene.vendorRules, scene.root + "/staging/escapes.json",
                                              scene.root + "/staging/bad-id.json"])
        for text in [checked.out, checked.err] {
            XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, text.debugDescription)
            XCTAssertFalse(text.contains("11010519491231002"), text)
        }
        print("forgery and leaks: \(journal.count) entries read, none forged or raw; lost \(lost), duplicated \(duplicated)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
    }

    /// Without JOURNAL_STREAM (stderr still the journal, as when run by hand into systemd-cat)
    /// the stderr copy is written, escaped: the forged line stays inside one entry.
    func testStderrCopyIsOneEscapedLine() throws {
        let scene = try Scene("stderr")
        defer { scene.remove() }
        let daemon = try startedDaemon(scene, journalStream: false)
        defer { daemon.stop() }
        try scene.drop(bytes: "{", name: "y.json\n<0>stationguard: HOLD lifted.json")
        print("tried: a file name with \\n<0> on a daemon whose stderr is the journal without JOURNAL_STREAM")
        waitUntil(timeout: 30) { scene.settledCount() >= 1 }
        var lines: [[String: String]] = []
        try waitUntil(timeout: 10) {
            lines = try daemon.stderrEntries(scene).filter { $0["MESSAGE", default: ""].contains("quarantined") }
            return !lines.isEmpty
        }
        XCTAssertEqual(lines.count, 1, "\(lines)")
        XCTAssertEqual(lines.first?["PRIORITY"], "4")
        XCTAssertEqual(lines.first?["MESSAGE"]?.hasPrefix("stationguard: y.json\\n<0>stationguard: HOLD lifted.json: quarantined"), true, "\(lines)")
        let forged = try daemon.stderrEntries(scene).filter { $0["PRIORITY"] == "0" || $0["MESSAGE", default: ""].hasPrefix("stationguard: HOLD") }
        print("stderr copy: \(lines.count) line, forged entries \(forged.count); lost \(1 - scene.settledCount()), duplicated 0")
        XCTAssertTrue(forged.isEmpty, "\(forged)")
    }

    // MARK: - Finding 5: long names, reused names

    func testLongNameIsQuarantinedOnceAndReusedNamesNeverRunOut() throws {
        let scene = try Scene("names")
        defer { scene.remove() }
        let daemon = try startedDaemon(scene)
        defer { daemon.stop() }
        let long = String(repeating: "长", count: 80) + ".json"   // 245 bytes
        try scene.drop(bytes: "not json", name: long)
        // One file name reused: each copy waits until the previous one was claimed.
        let reuses = 200
        var staged: [String] = []
        for i in 0..<reuses {
            waitUntil(timeout: 10) { access(scene.spool + "/new/same.json", F_OK) != 0 }
            staged.append(try scene.drop(scene.record("vehicle-pass", id: "\(scene.station)-same-\(i)"), name: "same.json"))
        }
        print("tried: an invalid record with a \(long.utf8.count)-byte name, then one name reused \(reuses) times")
        let (lost, duplicated) = try settleAndCount(scene, dropped: reuses + 1, staged: staged)
        Thread.sleep(forTimeInterval: 6)  // a stuck record would be retried (and announced) meanwhile
        let quarantines = try scene.journalEvents("record-quarantined")
        XCTAssertEqual(quarantines.count, 1)
        let reasons = scene.names(in: "quarantine").filter { $0.hasPrefix("long-name-") && $0.hasSuffix(".reason") }
        XCTAssertEqual(reasons.count, 1)
        let text = reasons.first.flatMap { try? String(contentsOfFile: scene.spool + "/quarantine/" + $0, encoding: .utf8) } ?? ""
        XCTAssertTrue(text.hasPrefix("record: \(long) (its name is too long for NAME.reason)\n"), text)
        XCTAssertEqual(scene.doneNames().filter { $0.hasPrefix("same") }.count, reuses)
        print("long name and reused name: \(quarantines.count) record-quarantined event, \(reuses) copies of same.json in done/; lost \(lost), duplicated \(duplicated)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
    }

    // MARK: - Finding 6: silent stalls

    func testMissingCurAndUndecodableNamesAreHandled() throws {
        let scene = try Scene("stall")
        defer { scene.remove() }
        let daemon = try startedDaemon(scene)
        defer { daemon.stop() }
        XCTAssertEqual(rmdir(scene.spool + "/cur"), 0)
        let staged = [try scene.drop(scene.record("departure-overcapacity", id: "\(scene.station)-stall-1"), name: "after-rm.json")]
        // A name that is not UTF-8.
        let bad: [UInt8] = Array("bad-".utf8) + [0xFF, 0xFE] + Array(".json".utf8)
        let fd = open(scene.spool + "/tmp/x", O_WRONLY | O_CREAT, 0o644)
        _ = "{".withCString { write(fd, $0, 1) }
        close(fd)
        let target = (Array((scene.spool + "/new/").utf8) + bad).map { CChar(bitPattern: $0) } + [0]
        XCTAssertEqual(rename(scene.spool + "/tmp/x", target), 0)
        print("tried: rmdir cur/ under the running daemon, then a record; a file named bad-\\xff\\xfe.json")
        let (lost, duplicated) = try settleAndCount(scene, dropped: 2, staged: staged)
        let troubles = try scene.journalEvents("spool-trouble")
        XCTAssertEqual(troubles.filter { $0["MESSAGE", default: ""].contains("cur/ missing") }.count, 1, "\(troubles)")
        XCTAssertTrue(scene.quarantinedNames().contains("bad-\\xff\\xfe.json"), "\(scene.quarantinedNames())")
        print("missing cur/ and a non-UTF-8 name: \(troubles.count) spool-trouble event(s), quarantined as bad-\\xff\\xfe.json; lost \(lost), duplicated \(duplicated)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
    }

    /// A full disk (a real tmpfs): an invalid record cannot get its reason file written. It
    /// stays in cur/, one spool-trouble event and one record-quarantined event are written, not
    /// one per second; once space is freed it is quarantined.
    func testFullDiskRaisesSpoolTroubleOnce() throws {
        try XCTSkipUnless(geteuid() == 0, "mounting a tmpfs needs root")
        let scene = try Scene("fulldisk")
        defer { scene.remove() }
        let spool = scene.spool
        try? FileManager.default.removeItem(atPath: spool)
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let mount = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=2m,mode=0755", "sg-fulldisk", spool])
        try XCTSkipUnless(mount.status == 0, "mount: \(mount.err)")
        defer { _ = try? runProgram("/bin/umount", ["-l", spool]) }
        for folder in ["tmp", "new", "cur", "done", "quarantine"] { mkdir(spool + "/" + folder, 0o755) }
        let daemon = try startedDaemon(scene)
        defer { daemon.stop() }
        // Fill the file system but for one page, which the record then takes: its reason file
        // cannot be written.
        let filler = spool + "/filler", spare = spool + "/spare"
        try Data(count: 4096).write(to: URL(fileURLWithPath: spare))
        _ = try runProgram("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=4k", "count=1024"])
        unlink(spare)
        try scene.drop(bytes: "{", name: "stuck.json")
        print("tried: a 2 MiB tmpfs spool filled up, then an invalid record; 12 s later, space freed")
        Thread.sleep(forTimeInterval: 12)
        let troubles = try scene.journalEvents("spool-trouble")
        let events = try scene.journalEvents("record-quarantined")
        XCTAssertEqual(troubles.count, 1, "\(troubles)")
        XCTAssertEqual(events.count, 1, "\(events)")
        XCTAssertTrue(scene.names(in: "cur").contains("stuck.json"))
        unlink(filler)
        waitUntil(timeout: 90) { scene.quarantinedNames().contains("stuck.json") }
        let lost = scene.quarantinedNames().contains("stuck.json") ? 0 : 1
        let after = try scene.journalEvents("record-quarantined").count
        print("full disk: \(troubles.count) spool-trouble, \(events.count) record-quarantined while full (\(after) after); lost \(lost), duplicated \(after - 1)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(after, 1)
    }

    /// A real inotify flood: more files than the kernel queues events for (IN_Q_OVERFLOW),
    /// every one settled once.
    func testInotifyFloodLosesNothing() throws {
        let scene = try Scene("flood")
        defer { scene.remove() }
        let daemon = try startedDaemon(scene)
        defer { daemon.stop() }
        let count = 20_000
        let bytes = "{"  // invalid: quarantined without a journal look-up per alert
        for i in 0..<count {
            let temporary = scene.spool + "/tmp/f\(i).json"
            let fd = open(temporary, O_WRONLY | O_CREAT, 0o644)
            _ = bytes.withCString { write(fd, $0, 1) }
            close(fd)
            rename(temporary, scene.spool + "/new/f\(i).json")
        }
        print("tried: \(count) files renamed into new/ as fast as possible (queue limit \((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"))")
        waitUntil(timeout: 600) { scene.settledCount() >= count }
        let quarantined = scene.quarantinedNames().filter { $0.hasSuffix(".json") }
        let events = try scene.journalEvents("record-quarantined")
        let lost = count - quarantined.count
        let duplicated = events.count - count
        print("inotify flood: \(quarantined.count) quarantined, \(events.count) record-quarantined events; lost \(lost), duplicated \(duplicated)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
    }

    // MARK: - Finding 7: an in-place writer that pauses

    func testTruncatedRecordThatGrowsIsClaimedAgain() throws {
        let scene = try Scene("grow")
        defer { scene.remove() }
        let daemon = try startedDaemon(scene)
        defer { daemon.stop() }
        let record = scene.record("driver-alcohol", id: "\(scene.station)-grow-1")
        let staged = try scene.write(record, name: "slow.json")
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: staged)))
        // Written in place in new/ (no rename), half, then a pause past the settle time.
        let fd = open(scene.spool + "/new/slow.json", O_WRONLY | O_CREAT, 0o644)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, bytes.count / 2) }
        print("tried: half a record written in place in new/, a pause until it is quarantined, then the rest")
        let quarantined = waitUntil(timeout: 30) { scene.quarantinedNames().contains("slow.json") }
        XCTAssertTrue(quarantined, "the half record was not quarantined (claimed) in 30 s")
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + bytes.count / 2, bytes.count - bytes.count / 2) }
        close(fd)
        waitUntil(timeout: 30) { scene.doneNames().contains("slow.json") }
        let (lost, duplicated) = try settleAndCount(scene, dropped: 1, staged: [staged])
        XCTAssertTrue(scene.doneNames().contains("slow.json"), "the complete record was never processed")
        XCTAssertFalse(scene.quarantinedNames().contains("slow.json"))
        print("in-place writer: quarantined half-way, processed when complete; lost \(lost), duplicated \(duplicated)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
    }
}
