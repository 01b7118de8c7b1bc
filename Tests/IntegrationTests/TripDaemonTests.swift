// TripDaemonTests: trip verdicts from the real daemon with the shipped rules, read back from the
// real journal: they equal what `stationguard check` predicts for the same stream, and they
// survive SIGKILLs at random moments (no verdict lost, none doubled).
import Foundation
import XCTest
import Trips

final class TripDaemonTests: XCTestCase {
    /// A scene whose vendor rules are the shipped rule sets.
    private func shippedScene(_ label: String) throws -> Scene {
        let scene = try Scene(label)
        try FileManager.default.removeItem(atPath: scene.vendorRules + "/testset.yaml")
        for name in try FileManager.default.contentsOfDirectory(atPath: repository.path + "/rules") where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(atPath: repository.path + "/rules/" + name, toPath: scene.vendorRules + "/" + name)
        }
        return scene
    }

    private func clean(_ name: String) -> [String: Any] {
        let data = FileManager.default.contents(atPath: repository.path + "/rules/tests/records/" + name)!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The five records of trip number `n` of this scene: its own trip id, bus and drivers
    /// (departure 07:31 on 2026-10-01), in the order vehicle, driver 1, driver 2, bag, departure.
    private func trip(_ scene: Scene, _ n: Int) -> [(name: String, record: [String: Any])] {
        let trip = "T\(n)-20261001"
        let plate = "粤A\(10000 + n)"
        let drivers = ["D-\(n)-1", "D-\(n)-2"]
        func envelope(_ r: [String: Any], _ kind: String) -> [String: Any] {
            var r = r
            r["record_id"] = "\(scene.station)-\(n)-\(kind)"
            r["station_code"] = scene.station
            if r["trip_id"] != nil { r["trip_id"] = trip }
            if r["plate_no"] != nil { r["plate_no"] = plate }
            return r
        }
        var vehicle = envelope(clean("vehicle-clean.json"), "vehicle")
        var docs = vehicle["documents"] as! [String: Any]
        for (key, value) in docs {   // every paper that names a plate names this bus's
            guard var paper = value as? [String: Any], paper["plate_no"] != nil else { continue }
            paper["plate_no"] = plate
            docs[key] = paper
        }
        vehicle["documents"] = docs
        var driver1 = envelope(clean("driver-clean.json"), "driver1")
        driver1["driver_id"] = drivers[0]
        var driver2 = envelope(clean("driver-longterm-licence-clean.json"), "driver2")
        driver2["driver_id"] = drivers[1]
        var luggage = envelope(clean("luggage-clean.json"), "luggage")
        luggage["bag_kind"] = "checked"
        var departure = envelope(clean("departure-clean.json"), "departure")
        departure["driver_ids"] = drivers
        departure["loaded_bag_count"] = 1
        departure["screened_bag_count"] = 1
        return [("\(n)-vehicle.json", vehicle), ("\(n)-driver1.json", driver1), ("\(n)-driver2.json", driver2),
                ("\(n)-luggage.json", luggage), ("\(n)-departure.json", departure)]
    }

    /// Verdict entries as (trip, verdict, rules, cause): SG_RULE repeats, so journalctl's JSON
    /// gives it as a list when there are several.
    private func verdicts(_ scene: Scene) throws -> [(trip: String, verdict: String, rules: [String], cause: String)] {
        _ = try runProgram("/bin/journalctl", ["--sync"])
        let read = try runProgram("/bin/journalctl", ["-o", "json", "--no-pager", "SG_STATION=\(scene.station)", "SG_EVENT=verdict"])
        return read.out.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let rules = (o["SG_RULE"] as? [String]) ?? (o["SG_RULE"] as? String).map { [$0] } ?? []
            return ((o["SG_TRIP"] as? String) ?? "?", (o["SG_VERDICT"] as? String) ?? "?", rules.sorted(),
                    (o["SG_CAUSE_RECORD_ID"] as? String) ?? "?")
        }
    }

    /// `stationguard check --format json` over the staged files in order: its decisions.
    private func predicted(_ scene: Scene, _ paths: [String]) throws -> [(trip: String, verdict: String, rules: [String])] {
        let result = try runProgram(binary, ["check", "--format", "json", "--rules", scene.vendorRules, "--config", scene.config] + paths)
        XCTAssertEqual(result.status, 0, result.err)
        return result.out.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let verdict = o["verdict"] as? String else { return nil }
            let rules = ((o["reasons"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String }
            return ((o["trip_id"] as? String) ?? "?", verdict, rules.sorted())
        }
    }

    func testVerdictsInTheJournalEqualWhatCheckPredicts() throws {
        let scene = try shippedScene("trips")
        defer { scene.remove() }
        var stream: [(name: String, record: [String: Any])] = []
        var late: [(name: String, record: [String: Any])] = []
        for n in 0..<6 {
            var records = trip(scene, n)
            switch n {
            case 1: records[4].record["adults"] = 50; records[4].record["seated_children"] = 1   // overloaded: DEP-001
            case 2: late.append(records.remove(at: 2))                                           // driver 2 checks in late
            case 3:
                var checks = records[0].record["checks"] as! [String: Any]
                checks["braking"] = "fail"
                records[0].record["checks"] = checks                                             // brakes: VEH-001
            case 4:
                var alcohol = records[1].record["alcohol"] as! [String: Any]
                alcohol["breath_mg_per_l"] = 0.12
                records[1].record["alcohol"] = alcohol                                           // DRV-011
            default: break
            }
            stream += records
        }
        stream += late
        let daemon = try DaemonProcess(scene)
        XCTAssertTrue(daemon.waitUntilStarted(), daemon.log)
        var staged: [String] = []
        for (i, item) in stream.enumerated() {
            staged.append(try scene.drop(item.record, name: item.name))
            XCTAssertTrue(waitUntil(timeout: 20) { scene.settledCount() == i + 1 }, "record \(item.name) not settled: \(daemon.log)")
        }
        XCTAssertEqual(daemon.stop(), 0)

        let expected = try predicted(scene, staged)
        let journal = try verdicts(scene)
        print("trip verdicts: records \(stream.count), predicted \(expected.count), in the journal \(journal.count)")
        XCTAssertEqual(journal.map { "\($0.trip) \($0.verdict) \($0.rules)" }, expected.map { "\($0.trip) \($0.verdict) \($0.rules)" })
        // The stories: a clean trip leaves, the broken ones are held naming the rule, the late
        // driver check turns HOLD into RELEASE.
        func last(_ n: Int) -> (verdict: String, rules: [String])? {
            journal.last { $0.trip == "T\(n)-20261001" }.map { ($0.verdict, $0.rules) }
        }
        XCTAssertEqual(last(0)?.verdict, "RELEASE")
        XCTAssertEqual(last(1)?.verdict, "HOLD"); XCTAssertEqual(last(1)?.rules.contains("DEP-001"), true)
        XCTAssertEqual(last(2)?.verdict, "RELEASE")
        XCTAssertEqual(journal.filter { $0.trip == "T2-20261001" }.map(\.verdict), ["HOLD", "RELEASE"])
        XCTAssertEqual(last(3)?.rules.contains("VEH-001"), true)
        XCTAssertEqual(last(4)?.rules.contains("DRV-011"), true)
        XCTAssertEqual(last(5)?.verdict, "RELEASE")
        // Every accepted record has its record-checked entry.
        let checked = try scene.journalEntries("SG_STATION=\(scene.station)").filter { $0["SG_EVENT"] == "record-checked" }
        XCTAssertEqual(checked.count, stream.count)
    }

    func testTripVerdictsSurviveKillsAtRandomMoments() throws {
        // Enough records that the kills land mid-stream: a burst is stored in groups of up to
        // 32 records per transaction, so a kill can find a committed group not yet sent.
        let trips = max(1, Int(ProcessInfo.processInfo.environment["SG_KILL_TRIPS"] ?? "") ?? 160)
        let scene = try shippedScene("tripkill")
        defer { scene.remove() }
        var generator = SystemRandomNumberGenerator()
        // Dropped in a random order: departures before their checks decide again on each later
        // record, so a kill finds many decisions in flight.
        var staged: [String] = []
        for item in (0..<trips).flatMap({ trip(scene, $0) }).shuffled(using: &generator) {
            staged.append(try scene.drop(item.record, name: item.name))
        }
        var kills = 0
        var daemon = try DaemonProcess(scene)
        XCTAssertTrue(daemon.waitUntilStarted(), daemon.log)
        while scene.settledCount() < staged.count && kills < 40 {
            Thread.sleep(forTimeInterval: Double.random(in: 0.02...0.25, using: &generator))
            if scene.settledCount() >= staged.count { break }
            daemon.killHard()
            kills += 1
            daemon = try DaemonProcess(scene, label: "daemon-\(kills)")
            XCTAssertTrue(daemon.waitUntilStarted(), daemon.log)
        }
        XCTAssertTrue(waitUntil(timeout: 120) { scene.settledCount() == staged.count }, daemon.log)
        XCTAssertEqual(daemon.stop(), 0)

        let journal = try verdicts(scene)
        let store = try TripStore(directory: scene.state, readOnly: true)
        let stored = try store.decisionLog()
        var entries: [String: Int] = [:]
        for v in journal { entries["\(v.cause) \(v.trip)", default: 0] += 1 }
        let lost = stored.filter { entries["\($0.cause) \($0.trip)"] == nil }.count
        let duplicated = entries.values.filter { $0 > 1 }.count
        let unexplained = entries.keys.filter { key in !stored.contains { "\($0.cause) \($0.trip)" == key } }.count
        // Every trip's last verdict is RELEASE: the records are all clean, whatever order the
        // kills left them in.
        var finals: [String: String] = [:]
        for v in journal { finals[v.trip] = v.verdict }
        print("trip kill test: trips \(trips), records \(staged.count), kills \(kills), decisions stored \(stored.count), verdicts in the journal \(journal.count), lost \(lost), duplicated \(duplicated), unexplained \(unexplained)")
        XCTAssertEqual(lost, 0)
        XCTAssertEqual(duplicated, 0)
        XCTAssertEqual(unexplained, 0)
        XCTAssertEqual(finals.count, trips)
        XCTAssertEqual(finals.values.filter { $0 != "RELEASE" }.count, 0, "\(finals)")
        XCTAssertEqual(scene.doneNames().count, staged.count)
    }
}
