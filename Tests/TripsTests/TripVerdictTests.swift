// Whole trips through the real store and the shipped rules (人车联检, 五不出站): the verdict
// must not depend on the order the kiosks' records arrive in.
import Foundation
import GRDB
import XCTest
import Records
import Rules
import Trips

final class TripVerdictTests: XCTestCase {
    let trip = "G1203-20261001"

    /// Runs the five records in every order; returns the final verdict of each order.
    private func everyOrder(_ records: [String: [String: Any]]) throws -> [TripDecision] {
        var finals: [TripDecision] = []
        for order in TripFixtures.permutations(Array(records.keys).sorted()) {
            let stream = try TripStream()
            for name in order { try stream.feed(records[name]!) }
            let last = try XCTUnwrap(stream.verdict(trip), "no decision for order \(order)")
            finals.append(last)
        }
        XCTAssertEqual(finals.count, 120)
        return finals
    }

    func testCleanTripIsReleasedInEveryOrder() throws {
        for d in try everyOrder(TripFixtures.cleanTrip()) {
            XCTAssertEqual(d.verdict, .release, d.message)
            XCTAssertEqual(d.reasons.filter { $0.action != "WARN" }, [])
            XCTAssertEqual(d.departureRecordID, "gate-1:20261001:000093")
        }
    }

    /// Each of the 五不出站 conditions broken alone holds the bus and names the rule, whatever
    /// the order.
    func testEachFiveNoDepartureConditionAloneHoldsTheBus() throws {
        let cases: [(String, String, ([String: [String: Any]]) -> [String: [String: Any]])] = [
            ("超载客车不出站", "DEP-001", { var r = $0; r["departure"]!["adults"] = 50; r["departure"]!["seated_children"] = 1; return r }),
            ("安全例检不合格不出站", "VEH-001", { var r = $0
                var checks = r["vehicle"]!["checks"] as! [String: Any]; checks["braking"] = "fail"
                r["vehicle"]!["checks"] = checks; return r }),
            ("驾驶员资格不符不出站", "DRV-001", { var r = $0
                var licence = r["driver2"]!["licence"] as! [String: Any]; licence["status"] = "suspended"
                r["driver2"]!["licence"] = licence; return r }),
            ("客车证件不齐全不出站", "DOC-001", { var r = $0
                var docs = r["vehicle"]!["documents"] as! [String: Any]
                docs["driving_permit"] = ["present": false, "plate_no": "粤A12345"]
                r["vehicle"]!["documents"] = docs; return r }),
            ("出站登记表未签字不出站", "DEP-006", { var r = $0; r["departure"]!["exit_log_signed_by_checker"] = false; return r }),
        ]
        for (name, rule, breakIt) in cases {
            for d in try everyOrder(breakIt(TripFixtures.cleanTrip())) {
                XCTAssertEqual(d.verdict, .hold, "\(name): \(d.message)")
                XCTAssertTrue(d.reasons.contains { $0.rule == rule }, "\(name) must name \(rule): \(d.reasons.map(\.rule))")
            }
        }
    }

    func testALatePassingDriverCheckTurnsHoldIntoRelease() throws {
        let r = TripFixtures.cleanTrip()
        let stream = try TripStream()
        for name in ["vehicle", "driver1", "luggage", "departure"] { try stream.feed(r[name]!) }
        let before = try XCTUnwrap(stream.verdict(trip))
        XCTAssertEqual(before.verdict, .hold)
        XCTAssertEqual(before.reasons.map(\.rule), ["DEP-007"])
        XCTAssertTrue(before.reasons[0].message.contains("D-000802"), before.reasons[0].message)
        let after = try stream.feed(r["driver2"]!)
        XCTAssertEqual(after.map(\.verdict), [.release])
    }

    func testAFailedReinspectionHoldsThePlatesLaterTripButNotTheEarlierOne() throws {
        let r = TripFixtures.cleanTrip()
        let stream = try TripStream()
        for name in ["vehicle", "driver1", "driver2", "luggage", "departure"] { try stream.feed(r[name]!) }
        // A second trip of the same bus at 14:00, checked at the gate at 13:50.
        var later = r["departure"]!
        later["record_id"] = "gate-1:20261001:000190"
        later["trip_id"] = "G1207-20261001"
        later["recorded_at"] = "2026-10-01T13:50:00+08:00"
        later["scheduled_departure_at"] = "2026-10-01T14:00:00+08:00"
        later["report_at"] = "2026-10-01T13:20:00+08:00"
        later["planned_arrival_at"] = "2026-10-01T22:00:00+08:00"
        later["loaded_bag_count"] = 0
        later["screened_bag_count"] = 0
        later.removeValue(forKey: "actual_departure_at")
        XCTAssertEqual(try stream.feed(later).map(\.verdict), [.release])
        // Re-inspection at 10:00 fails the brakes.
        var reinspection = r["vehicle"]!
        reinspection["record_id"] = "kiosk-03:20261001:000150"
        reinspection["recorded_at"] = "2026-10-01T10:00:00+08:00"
        var checks = reinspection["checks"] as! [String: Any]
        checks["braking"] = "fail"
        reinspection["checks"] = checks
        reinspection["result"] = "fail"
        let decided = try stream.feed(reinspection)
        XCTAssertEqual(decided.map(\.tripID), ["G1207-20261001"], "only the later trip is decided again")
        XCTAssertEqual(decided.first?.verdict, .hold)
        XCTAssertTrue(decided.first?.reasons.contains { $0.rule == "VEH-001" } ?? false)
        XCTAssertEqual(stream.verdict(trip)?.verdict, .release, "the 07:31 trip left before the re-inspection")
    }

    func testYesterdaysNoticeAndLastNightsBreathTestDoNotClearTodaysTrip() throws {
        var r = TripFixtures.cleanTrip()
        // The notice was issued 09-30 07:00; the vehicle record is this morning's.
        var docs = r["vehicle"]!["documents"] as! [String: Any]
        var notice = docs["safety_check_notice"] as! [String: Any]
        notice["issued_at"] = "2026-09-30T07:00:00+08:00"
        docs["safety_check_notice"] = notice
        r["vehicle"]!["documents"] = docs
        r["vehicle"]!["recorded_at"] = "2026-10-01T06:50:00+08:00"
        // Driver 2 was checked and breath-tested last night, 21:00.
        r["driver2"]!["recorded_at"] = "2026-09-30T21:00:00+08:00"
        var alcohol = r["driver2"]!["alcohol"] as! [String: Any]
        alcohol["tested_at"] = "2026-09-30T21:00:00+08:00"
        r["driver2"]!["alcohol"] = alcohol
        r["driver2"]!["trip_date"] = "2026-09-30"
        for d in try everyOrder(r) {
            XCTAssertEqual(d.verdict, .hold, d.message)
            let rules = Set(d.reasons.map(\.rule))
            XCTAssertTrue(rules.contains("DOC-011-DEPARTURE"), "\(rules)")
            XCTAssertTrue(rules.contains("DEP-007"), "\(rules)")
            let dep007 = d.reasons.first { $0.rule == "DEP-007" }!.message
            XCTAssertTrue(dep007.contains("D-000802") && !dep007.contains("D-000731"), dep007)
        }
    }

    func testAVehicleCheckedTheDayBeforeIsNotInTheWindow() throws {
        var r = TripFixtures.cleanTrip()
        // Inspected 09-30 07:00 (notice issued then too): 24 h before 10-01 07:31 is 09-30 07:31.
        r["vehicle"]!["recorded_at"] = "2026-09-30T07:00:00+08:00"
        var docs = r["vehicle"]!["documents"] as! [String: Any]
        var notice = docs["safety_check_notice"] as! [String: Any]
        notice["issued_at"] = "2026-09-30T06:58:00+08:00"
        docs["safety_check_notice"] = notice
        r["vehicle"]!["documents"] = docs
        for d in try everyOrder(r) {
            XCTAssertEqual(d.verdict, .hold)
            let dep007 = try XCTUnwrap(d.reasons.first { $0.rule == "DEP-007" }).message
            XCTAssertTrue(dep007.contains("无该车 2026-09-30 07:31 以来的安全例检记录"), dep007)
        }
    }

    func testARecordAfterDepartureChangesNothing() throws {
        let r = TripFixtures.cleanTrip()
        let stream = try TripStream()
        for name in ["vehicle", "driver1", "driver2", "luggage", "departure"] { try stream.feed(r[name]!) }
        XCTAssertEqual(stream.verdict(trip)?.verdict, .release)
        var late = r["vehicle"]!
        late["record_id"] = "kiosk-03:20261001:000160"
        late["recorded_at"] = "2026-10-01T07:45:00+08:00"   // after the 07:31 departure
        late["result"] = "fail"
        XCTAssertEqual(try stream.feed(late).count, 0)
        var lateBag = r["luggage"]!
        lateBag["record_id"] = "xray-02:20261001:003400"
        lateBag["bag_id"] = "B-99999"
        lateBag["recorded_at"] = "2026-10-01T07:40:00+08:00"
        lateBag["result"] = "prohibited"
        XCTAssertEqual(try stream.feed(lateBag).count, 0)
        XCTAssertEqual(stream.verdict(trip)?.verdict, .release)
    }

    func testTwoInterleavedTripsAreDecidedIndependently() throws {
        let a = TripFixtures.cleanTrip()
        var b: [String: [String: Any]] = [:]
        for (name, var rec) in a {
            rec["record_id"] = "B-" + (rec["record_id"] as! String)
            if rec["trip_id"] != nil { rec["trip_id"] = "G3301-20261001" }
            if rec["plate_no"] != nil { rec["plate_no"] = "粤B54321" }
            b[name] = rec
        }
        var docs = b["vehicle"]!["documents"] as! [String: Any]
        for (key, value) in docs {   // every paper that names a plate names trip B's bus
            guard var paper = value as? [String: Any], paper["plate_no"] != nil else { continue }
            paper["plate_no"] = "粤B54321"
            docs[key] = paper
        }
        b["vehicle"]!["documents"] = docs
        // Trip B's drivers are other people; trip B's bus is overloaded.
        b["driver1"]!["driver_id"] = "D-100001"
        b["driver2"]!["driver_id"] = "D-100002"
        b["departure"]!["driver_ids"] = ["D-100001", "D-100002"]
        b["departure"]!["adults"] = 48   // 48 + 2 seated children > 49 seats
        let stream = try TripStream()
        for name in ["vehicle", "driver1", "driver2", "luggage", "departure"] {
            try stream.feed(a[name]!)
            try stream.feed(b[name]!)
        }
        XCTAssertEqual(stream.verdict("G1203-20261001")?.verdict, .release, stream.verdict("G1203-20261001")?.message ?? "")
        let held = try XCTUnwrap(stream.verdict("G3301-20261001"))
        XCTAssertEqual(held.verdict, .hold)
        XCTAssertEqual(held.reasons.map(\.rule), ["DEP-001"])
        XCTAssertEqual(held.plate, "粤B54321")
    }

    /// The daemon stores a burst's records in one transaction: in every order, and split into
    /// groups anywhere, the decisions are those of the records stored one by one. The group
    /// also hands the trip rules the values the record rules made (`feedGroup`), the single
    /// records do not: both must decide alike.
    func testAGroupInOneTransactionDecidesAsRecordsOneByOne() throws {
        var suspended = TripFixtures.cleanTrip()
        var licence = suspended["driver2"]!["licence"] as! [String: Any]
        licence["status"] = "suspended"
        suspended["driver2"]!["licence"] = licence
        var braking = TripFixtures.cleanTrip()
        var checks = braking["vehicle"]!["checks"] as! [String: Any]
        checks["braking"] = "fail"
        braking["vehicle"]!["checks"] = checks
        for records in [TripFixtures.cleanTrip(), suspended, braking] {
            for order in TripFixtures.permutations(Array(records.keys).sorted()) {
                let single = try TripStream()
                for name in order { try single.feed(records[name]!) }
                let split = order.count > 1 ? (order.firstIndex(of: "departure")! % (order.count - 1)) + 1 : 1
                let grouped = try TripStream()
                try grouped.feedGroup(order[..<split].map { records[$0]! })
                try grouped.feedGroup(order[split...].map { records[$0]! })
                XCTAssertEqual(grouped.decisions.map(\.verdict), single.decisions.map(\.verdict), "order \(order), split at \(split)")
                XCTAssertEqual(grouped.decisions.map(\.message), single.decisions.map(\.message), "order \(order)")
                XCTAssertEqual(grouped.outcomes, single.outcomes)
            }
        }
    }

    /// In one group, a record sent twice is stored once (`repeated`), and the same id with
    /// other bytes is a `conflict`; the group's other records are stored and decide the trip.
    func testAGroupHoldsRepeatsAndConflictsLikeSeparateRecords() throws {
        let r = TripFixtures.cleanTrip()
        var changed = r["luggage"]!
        changed["bag_kind"] = "carry_on"
        let stream = try TripStream()
        let outcomes = try stream.feedGroup([r["vehicle"]!, r["driver1"]!, r["driver1"]!, r["driver2"]!, r["luggage"]!, changed, r["departure"]!])
        XCTAssertEqual(outcomes.count, 7)
        XCTAssertEqual(outcomes[2], .repeated)
        guard case .conflict = outcomes[5] else { return XCTFail("the resent bag with other bytes: \(outcomes[5])") }
        XCTAssertEqual(outcomes.filter { $0 == .stored }.count, 5)
        XCTAssertEqual(stream.verdict(trip)?.verdict, .release, stream.verdict(trip)?.message ?? "no decision")
    }

    /// A record the store cannot take fails alone: the group's other records are stored and
    /// decide the trip (the store first tries the group without a savepoint per record, then
    /// again with one each). The failure is planted as a trigger in the store's file.
    func testARecordThatFailsInAGroupLeavesTheOthersStored() throws {
        let directory = NSTemporaryDirectory() + "sg-trip-group-fail-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stream = try TripStream(directory: directory)
        let r = TripFixtures.cleanTrip()
        let failing = try XCTUnwrap(r["driver1"]?["record_id"] as? String)
        let planted = try DatabaseQueue(path: directory + "/" + TripStore.fileName)
        try planted.write { db in
            try db.execute(sql: """
                CREATE TRIGGER planted_failure BEFORE INSERT ON record WHEN NEW.record_id = '\(failing)'
                BEGIN SELECT RAISE(ABORT, 'planted failure'); END
                """)
        }
        try planted.close()
        let order = ["vehicle", "driver1", "driver2", "luggage", "departure"]
        var arrivals: [TripStore.Arrival] = []
        for name in order {
            let bytes = TripFixtures.bytes(r[name]!)
            let record = try RecordDecoder.decode(bytes, fileName: name + ".json").get()
            arrivals.append(TripStore.Arrival(record, bytes: bytes, alerts: stream.rules.evaluate(record), rules: stream.rules))
        }
        let results = stream.store.ingest(arrivals, rules: stream.rules)
        XCTAssertEqual(results.count, 5)
        for (name, result) in zip(order, results) {
            switch result {
            case .success(let ingested):
                XCTAssertNotEqual(name, "driver1", "the planted failure was not hit")
                XCTAssertEqual(ingested.outcome, .stored, name)
                if name == "departure" {
                    // The failed driver check is not in the store: the bus is held for it.
                    XCTAssertEqual(ingested.decisions.map(\.verdict), [.hold])
                    XCTAssertEqual(ingested.decisions.first?.reasons.map(\.rule), ["DEP-007"])
                }
            case .failure(let error):
                XCTAssertEqual(name, "driver1", "\(name) failed: \(error)")
                XCTAssertTrue("\(error)".contains("planted failure"), "\(error)")
            }
        }
        let stored = try DatabaseQueue(path: directory + "/" + TripStore.fileName)
            .read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM record") }
        XCTAssertEqual(stored, 4)
    }

    /// A departure record corrected to another bus (and one driver fewer) moves the trip: the
    /// gate's look-up by plate or driver follows the latest departure record, not any of them.
    func testACorrectedDepartureMovesTheTripToTheNewBusAndCrew() throws {
        let r = TripFixtures.cleanTrip()
        let stream = try TripStream()
        for name in ["vehicle", "driver1", "driver2", "luggage", "departure"] { try stream.feed(r[name]!) }
        let day = try XCTUnwrap(CalendarDate.parse("2026-10-01"))
        XCTAssertEqual(try stream.store.decisions(plate: "粤A12345", day: day).map(\.tripID), [trip])
        var corrected = r["departure"]!
        corrected["record_id"] = "gate-1:20261001:000094"
        corrected["recorded_at"] = "2026-10-01T07:29:00+08:00"
        corrected["plate_no"] = "粤A54321"
        corrected["driver_ids"] = ["D-000731"]
        XCTAssertEqual(try stream.feed(corrected).map(\.tripID), [trip])
        XCTAssertEqual(try stream.store.decisions(plate: "粤A12345", day: day).map(\.tripID), [], "the first bus no longer runs it")
        XCTAssertEqual(try stream.store.decisions(plate: "粤A54321", day: day).map(\.tripID), [trip])
        XCTAssertEqual(try stream.store.decisions(driver: "D-000802", day: day).map(\.tripID), [], "the driver taken off the trip")
        XCTAssertEqual(try stream.store.decisions(driver: "D-000731", day: day).map(\.tripID), [trip])
    }

    func testOneUnscreenedBagInTheHoldHoldsTheBus() throws {
        var r = TripFixtures.cleanTrip()
        r["departure"]!["loaded_bag_count"] = 2
        r["departure"]!["screened_bag_count"] = 2   // the gate's counts agree; the records do not
        for d in try everyOrder(r) {
            XCTAssertEqual(d.verdict, .hold)
            XCTAssertEqual(d.reasons.map(\.rule), ["LUG-001"])
        }
    }

    func testALicenceForMediumBusesDoesNotCoverALargeBus() throws {
        var r = TripFixtures.cleanTrip()
        var licence = r["driver1"]!["licence"] as! [String: Any]
        licence["class"] = "B1"
        r["driver1"]!["licence"] = licence
        let stream = try TripStream()
        for name in ["vehicle", "driver1", "driver2", "luggage", "departure"] { try stream.feed(r[name]!) }
        let d = try XCTUnwrap(stream.verdict(trip))
        XCTAssertEqual(d.verdict, .hold)
        XCTAssertTrue(d.reasons.contains { $0.rule == "DRV-002" && $0.message.contains("D-000731（B1）") }, "\(d.reasons)")
    }
}
