// `stationguard status` and `stationguard board`, run as the built binary against a real trip
// store in a scratch state directory: a released bus, a held bus, a never-inspected plate, and
// the store read while another process holds it open and writes to it.
import Foundation
import XCTest
import Records
import Rules
import Trips

/// A state directory holding two trips of 2026-10-01: G1203-20261001 (粤A12345, every check
/// passed: RELEASE) and G2001-20261001 (粤B67890, the second driver never checked: HOLD).
final class GateScene {
    let root: String
    var state: String { root + "/state" }
    var config: String { root + "/stationguard.yaml" }
    /// Held open for writing while the commands run, as the daemon holds it (`close` lets go).
    private(set) var store: TripStore!
    /// The held trip's second driver's check, not fed yet: it releases G2001-20261001.
    let lateDriver: String

    static let rules: RuleGeneration = {
        try! RuleLoader(layers: RuleLayers(directories: [repository.path + "/rules"])).load()
    }()

    init() throws {
        let root = NSTemporaryDirectory() + "sg-it-gate-\(UUID().uuidString.prefix(8).lowercased())"
        self.root = root
        try FileManager.default.createDirectory(atPath: root + "/state", withIntermediateDirectories: true)
        try "station_code: GZ-SYZ-01\ntime_zone: Asia/Shanghai\n".write(toFile: root + "/stationguard.yaml", atomically: true, encoding: .utf8)
        store = try TripStore(directory: root + "/state")
        let released = GateScene.cleanTrip()
        // The same trip for another bus and crew, under other ids; its second driver has not shown up (yet).
        var held = released.mapValues { text in
            text.replacingOccurrences(of: "粤A12345", with: "粤B67890")
                .replacingOccurrences(of: "G1203-20261001", with: "G2001-20261001")
                .replacingOccurrences(of: ":20261001:0", with: ":20261001:5")
                .replacingOccurrences(of: "D-000", with: "D-100")
        }
        lateDriver = held.removeValue(forKey: "driver2")!
        for (name, text) in released.sorted(by: { $0.key < $1.key }) + held.sorted(by: { $0.key < $1.key }) {
            try feed(text, name: name)
        }
    }

    /// The five records of the rule tests' clean trip G1203-20261001, as JSON text.
    static func cleanTrip() -> [String: String] {
        func clean(_ name: String) -> [String: Any] {
            let data = FileManager.default.contents(atPath: repository.path + "/rules/tests/records/" + name)!
            return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        }
        var luggage = clean("luggage-clean.json")
        luggage["bag_kind"] = "checked"
        var departure = clean("departure-clean.json")
        departure["loaded_bag_count"] = 1
        departure["screened_bag_count"] = 1
        let objects = ["vehicle": clean("vehicle-clean.json"), "driver1": clean("driver-clean.json"),
                       "driver2": clean("driver-longterm-licence-clean.json"), "luggage": luggage, "departure": departure]
        return objects.mapValues { String(decoding: try! JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
    }

    /// Decode, evaluate, ingest: what the daemon does with a record.
    func feed(_ text: String, name: String) throws {
        let bytes = Array(text.utf8)
        guard case .success(let record) = RecordDecoder.decode(bytes, fileName: name + ".json") else {
            throw XCTSkip("fixture \(name) refused")
        }
        _ = try store.ingest(record, bytes: bytes, alerts: GateScene.rules.evaluate(record), rules: GateScene.rules)
    }

    func run(_ arguments: [String], as prefix: [String] = []) throws -> (status: Int32, out: String, err: String) {
        let command = prefix + [binary] + arguments + ["--state", state, "--config", config]
        return try runProgram(command[0], Array(command.dropFirst()))
    }

    /// Closes the writing connection, as a daemon that stops.
    func close() { store = nil }

    func remove() {
        if ProcessInfo.processInfo.environment["SG_KEEP_SCENES"] == nil { try? FileManager.default.removeItem(atPath: root) }
    }
}

final class GateStatusTests: XCTestCase {
    var scene: GateScene!

    override func setUpWithError() throws {
        scene = try GateScene()
        // The fixtures must give the verdicts these tests are about, or every test below is moot.
        XCTAssertEqual(try scene.store.decision(trip: "G1203-20261001")?.verdict, .release)
        XCTAssertEqual(try scene.store.decision(trip: "G2001-20261001")?.verdict, .hold)
    }

    override func tearDown() { scene.remove() }

    func testStatusOfAHeldTripNamesEveryReasonAndTheRecordsBehindIt() throws {
        let r = try scene.run(["status", "--trip", "G2001-20261001"])
        XCTAssertEqual(r.status, 1, r.out + r.err)
        let lines = r.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "G2001-20261001: HOLD")
        XCTAssertEqual(lines[1], "  bus 粤B67890, departs 2026-10-01 07:31 (scheduled 07:30), drivers D-100731 D-100802")
        XCTAssertEqual(lines[2], "  reasons:")
        XCTAssertTrue(lines[3].hasPrefix("    DEP-007 HOLD: "), lines[3])
        let behind = try XCTUnwrap(lines.firstIndex(of: "  records behind it:"))
        // The reason is wrapped within 80 columns under its rule, with nothing left out.
        let reason = lines[3..<behind]
        XCTAssertGreaterThan(reason.count, 1, r.out)
        for l in reason { XCTAssertLessThanOrEqual(TerminalText.width(l), 80, l) }
        for l in reason.dropFirst() { XCTAssertTrue(l.hasPrefix("      "), l) }
        XCTAssertTrue(reason.map { $0.trimmingCharacters(in: .whitespaces) }.joined().contains("D-100802"), r.out)
        let basis = lines[(behind + 1)...].map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(basis.map { $0[0] }.sorted(), ["departure", "driver", "luggage", "vehicle"], r.out)
        XCTAssertTrue(basis.contains(["vehicle", "kiosk-03:20261001:500117", "2026-10-01", "06:42", "passed"]), r.out)
    }

    func testStatusOfAReleasedTrip() throws {
        let r = try scene.run(["status", "--trip", "G1203-20261001"])
        XCTAssertEqual(r.status, 0, r.out + r.err)
        XCTAssertTrue(r.out.hasPrefix("G1203-20261001: RELEASE\n  bus 粤A12345, departs 2026-10-01 07:31 (scheduled 07:30), drivers D-000731 D-000802\n"), r.out)
        XCTAssertFalse(r.out.contains(" HOLD:"), r.out)
        XCTAssertEqual(r.out.components(separatedBy: "passed\n").count - 1, 5, "five records behind it, all passed: \(r.out)")
    }

    func testStatusOfPlates() throws {
        // Written with a separator and a lower-case letter: normalised as Records stores plates.
        let held = try scene.run(["status", "--plate", "粤b·67890", "--date", "2026-10-01"])
        XCTAssertEqual(held.status, 1, held.out + held.err)
        XCTAssertTrue(held.out.hasPrefix("粤B67890 on 2026-10-01: HOLD (1 of 1 trip held)\n  07:30  HOLD     G2001-20261001  粤B67890\n"), held.out)
        XCTAssertTrue(held.out.contains("DEP-007 HOLD:"), held.out)
        XCTAssertTrue(held.out.contains("  newest records of 粤B67890:\n"), held.out)

        let released = try scene.run(["status", "--plate", "粤A12345", "--date", "2026-10-01"])
        XCTAssertEqual(released.status, 0, released.out + released.err)
        XCTAssertTrue(released.out.hasPrefix("粤A12345 on 2026-10-01: RELEASE (1 trip, all released)\n  07:30  RELEASE  G1203-20261001  粤A12345\n"), released.out)

        let never = try scene.run(["status", "--plate", "粤A99999", "--date", "2026-10-01"])
        XCTAssertEqual(never.status, 3, never.out + never.err)
        XCTAssertEqual(never.out, "粤A99999: never inspected (no record in the store since 2026-10-01 06:31)\n")

        // Inspected, but no trip that day: not RELEASE either.
        let otherDay = try scene.run(["status", "--plate", "粤A12345", "--date", "2026-10-02"])
        XCTAssertEqual(otherDay.status, 3, otherDay.out + otherDay.err)
        XCTAssertTrue(otherDay.out.hasPrefix("粤A12345 on 2026-10-02: no verdict: no trip departs that day\n"), otherDay.out)
    }

    func testStatusOfDriversAndUnknownTrips() throws {
        let missing = try scene.run(["status", "--driver", "D-100802", "--date", "2026-10-01"])
        XCTAssertEqual(missing.status, 1, missing.out + missing.err)
        XCTAssertTrue(missing.out.hasPrefix("D-100802 on 2026-10-01: HOLD (1 of 1 trip held)\n"), missing.out)
        XCTAssertTrue(missing.out.contains("  no record of D-100802 in the store since 2026-10-01 06:31\n"), missing.out)

        let checked = try scene.run(["status", "--driver", "D-000802", "--date", "2026-10-01"])
        XCTAssertEqual(checked.status, 0, checked.out + checked.err)

        let unknown = try scene.run(["status", "--trip", "G9999-20261001"])
        XCTAssertEqual(unknown.status, 3)
        XCTAssertEqual(unknown.out, "G9999-20261001: never inspected (no record of this trip in the store since 2026-10-01 06:31)\n")
    }

    /// `--format json` gives a gate script the same answer as the text, with the same exit status.
    func testStatusAsJSONForAGateScript() throws {
        let held = try scene.run(["status", "--trip", "G2001-20261001", "--format", "json"])
        XCTAssertEqual(held.status, 1, held.out + held.err)
        let top = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(held.out.utf8)) as? [String: Any], held.out)
        XCTAssertEqual(top["answer"] as? String, "HOLD")
        XCTAssertEqual(top["trip"] as? String, "G2001-20261001")
        let trip = try XCTUnwrap((top["trips"] as? [[String: Any]])?.first, held.out)
        XCTAssertEqual(trip["plate"] as? String, "粤B67890")
        XCTAssertEqual(trip["departure_at"] as? String, "2026-10-01 07:31")
        XCTAssertEqual(trip["scheduled_at"] as? String, "2026-10-01 07:30")
        let reasons = try XCTUnwrap(trip["reasons"] as? [[String: Any]])
        XCTAssertEqual(reasons.first?["rule"] as? String, "DEP-007")
        XCTAssertTrue((reasons.first?["message"] as? String)?.contains("D-100802") ?? false, held.out)
        XCTAssertEqual((trip["records"] as? [[String: Any]])?.compactMap { $0["kind"] as? String }.sorted(),
                       ["departure", "driver", "luggage", "vehicle"])

        let released = try scene.run(["status", "--plate", "粤A12345", "--date", "2026-10-01", "--format", "json"])
        XCTAssertEqual(released.status, 0, released.out + released.err)
        let r = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(released.out.utf8)) as? [String: Any])
        XCTAssertEqual(r["answer"] as? String, "RELEASE")
        XCTAssertEqual((r["trips"] as? [[String: Any]])?.map { $0["trip_id"] as? String }, ["G1203-20261001"])
        XCTAssertFalse((r["records"] as? [Any] ?? []).isEmpty, released.out)

        let never = try scene.run(["status", "--plate", "粤A99999", "--format", "json"])
        XCTAssertEqual(never.status, 3)
        let n = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(never.out.utf8)) as? [String: Any])
        XCTAssertEqual(n["answer"] as? String, "NEVER_INSPECTED")
        XCTAssertEqual((n["trips"] as? [Any])?.count, 0)
    }

    func testBoardPutsHeldBusesFirstWithinEightyColumns() throws {
        let r = try scene.run(["board", "--date", "2026-10-01"])
        XCTAssertEqual(r.status, 0, r.out + r.err)
        let lines = r.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "2026-10-01  2 trips: 1 HOLD, 1 RELEASE  GZ-SYZ-01")
        XCTAssertEqual(lines[1], "TIME   VERDICT  TRIP             PLATE      DRIVERS            REASONS")
        XCTAssertTrue(lines[2].hasPrefix("07:30  HOLD     G2001-20261001   粤B67890   D-100731 D-100802  DEP-007"), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("       DEP-007 "), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("07:30  RELEASE  G1203-20261001   粤A12345   D-000731 D-000802"), lines[4])
        XCTAssertEqual(lines.count, 5, r.out)
        for line in lines { XCTAssertLessThanOrEqual(TerminalText.width(line), 80, line) }
        XCTAssertFalse(r.out.contains("\u{1B}"), "no colour into a file")
    }

    /// Another process holds the store open with a write transaction under way (as the daemon
    /// does while it ingests): status and board still answer, from what is committed.
    func testReadsWhileAnotherProcessWrites() throws {
        let ready = scene.root + "/writer-ready", done = scene.root + "/writer-done"
        let script = """
            import os, sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM decision")
            open(sys.argv[2], "w").close()
            while not os.path.exists(sys.argv[3]):
                time.sleep(0.05)
            db.execute("ROLLBACK")
            """
        let writer = try Child("/usr/bin/python3", ["-c", script, scene.state + "/trips.sqlite", ready, done])
        defer { _ = FileManager.default.createFile(atPath: done, contents: nil); _ = writer.wait() }
        XCTAssertTrue(waitUntil(timeout: 30) { FileManager.default.fileExists(atPath: ready) || !writer.isRunning },
                      "the writer did not start")
        XCTAssertTrue(writer.isRunning, "the writer could not take the write lock")
        let status = try scene.run(["status", "--trip", "G2001-20261001"])
        XCTAssertEqual(status.status, 1, status.out + status.err)
        XCTAssertTrue(status.out.hasPrefix("G2001-20261001: HOLD\n"), status.out)
        let board = try scene.run(["board", "--date", "2026-10-01"])
        XCTAssertEqual(board.status, 0, board.out + board.err)
        XCTAssertTrue(board.out.contains("2 trips: 1 HOLD, 1 RELEASE"), board.out)
        _ = FileManager.default.createFile(atPath: done, contents: nil)
        XCTAssertEqual(writer.wait(), 0, "the writer failed")
    }

    /// The daemon stopped (its connection closed): an officer who may read the state directory
    /// but not write it still gets an answer. SQLite needs the -wal and -shm files for that; the
    /// store keeps them (persistent WAL).
    func testAnOfficerWithoutWriteAccessReadsTheStoreWhileTheDaemonIsStopped() throws {
        scene.close()
        for suffix in ["-wal", "-shm"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: scene.state + "/trips.sqlite" + suffix), "trips.sqlite\(suffix) was removed on close")
        }
        // Emptied by the clean close: everything is in the database file.
        let wal = try FileManager.default.attributesOfItem(atPath: scene.state + "/trips.sqlite-wal")
        XCTAssertEqual((wal[.size] as? NSNumber)?.intValue, 0)
        // nobody: may read and enter the directory, not write in it.
        let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        XCTAssertNotEqual(try runProgram(nobody[0], Array(nobody.dropFirst()) + ["/usr/bin/touch", scene.state + "/probe"]).status, 0,
                          "nobody can write in the state directory: this test would prove nothing")
        let r = try scene.run(["status", "--trip", "G2001-20261001"], as: nobody)
        XCTAssertEqual(r.status, 1, r.out + r.err)
        XCTAssertTrue(r.out.hasPrefix("G2001-20261001: HOLD\n"), r.out + r.err)
        let board = try scene.run(["board", "--date", "2026-10-01"], as: nobody)
        XCTAssertEqual(board.status, 0, board.out + board.err)
    }

    /// `board --watch` into a file: one board after another, no escape codes; a decision the
    /// writer stores meanwhile shows on a later board; SIGINT ends it.
    func testBoardWatchRedrawsWhatTheWriterDecides() throws {
        let out = scene.root + "/watch.out"
        let fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { close(fd) }
        let watch = try Child(binary, ["board", "--watch", "--date", "2026-10-01", "--state", scene.state, "--config", scene.config],
                              stdout: fd)
        defer { if watch.isRunning { kill(watch.pid, SIGKILL); watch.wait() } }
        func shown() -> String { (try? String(contentsOfFile: out, encoding: .utf8)) ?? "" }
        XCTAssertTrue(waitUntil(timeout: 30) { shown().contains("2 trips: 1 HOLD, 1 RELEASE") }, shown())
        try scene.feed(scene.lateDriver, name: "driver2")
        XCTAssertEqual(try scene.store.decision(trip: "G2001-20261001")?.verdict, .release)
        XCTAssertTrue(waitUntil(timeout: 30) { shown().contains("2 trips: 0 HOLD, 2 RELEASE") }, shown())
        kill(watch.pid, SIGINT)
        XCTAssertEqual(watch.wait(), 128 + SIGINT)
        let boards = shown().components(separatedBy: "\n\n").filter { !$0.isEmpty }
        XCTAssertGreaterThanOrEqual(boards.count, 2)
        for board in boards {
            XCTAssertTrue(board.hasPrefix("2026-10-01  2 trips: "), board)
            XCTAssertTrue(board.split(separator: "\n")[0].contains("  updated "), board)
        }
        XCTAssertFalse(shown().contains("\u{1B}"), "no escape codes into a file")
    }

    func testAMissingStoreNamesItsPathAndUsageErrorsExitTwo() throws {
        let nowhere = scene.root + "/no-such-state"
        for command in [["status", "--trip", "G1203-20261001"], ["board"]] {
            let r = try runProgram(binary, command + ["--state", nowhere, "--config", scene.config])
            XCTAssertEqual(r.status, 4, "\(command): \(r.out)\(r.err)")
            XCTAssertTrue(r.err.contains(nowhere + "/trips.sqlite: no trip store"), r.err)
            XCTAssertEqual(r.out, "")
        }
        for bad in [["status"], ["status", "--trip", "A", "--plate", "粤A12345"], ["status", "--plate", "ABC"],
                    ["status", "--plate", "粤A12345", "--date", "2026-02-30"], ["board", "--date", "tomorrow"]] {
            let r = try scene.run(bad)
            XCTAssertEqual(r.status, 2, "\(bad): \(r.out)\(r.err)")
        }
    }
}
