// The gate officer's side of the store: the latest decision per trip (the board), and what the
// store holds for a trip, a plate or a driver (`stationguard status`). Read-only queries.
import Foundation
import GRDB
import Records
import Rules

/// A record as the store summarises it.
public struct StoredRecordSummary: Sendable {
    public let kind: String
    public let recordID: String
    /// Microseconds since 1970, UTC.
    public let recordedAtMicros: Int64
    public let stationDay: String
    public let tripID: String?
    public let plate: String?
    public let driverID: String?
    public let alerts: [RecordAlert]

    /// No HOLD, REFUSE or REVIEW alert of its own.
    public var passed: Bool { !alerts.contains { $0.blocks } }
}

extension TripStore {
    /// The latest decision of every trip departing on `day` (a station day), by departure time.
    public func board(day: CalendarDate) throws -> [TripDecision] {
        try latestDecisions(where: "departure_day = ?", [day.description])
    }

    /// The latest decision about a trip.
    public func decision(trip: String) throws -> TripDecision? {
        try latestDecisions(where: "trip_id = ?", [trip]).last
    }

    /// The latest decisions of the trips of a plate departing on `day`. A trip counts when its
    /// latest decision names the plate: a departure record corrected to another bus takes the
    /// trip off the first bus's list.
    public func decisions(plate: String, day: CalendarDate) throws -> [TripDecision] {
        try latestDecisions(where: "departure_day = ? AND trip_id IN (SELECT trip_id FROM record WHERE kind = 'departure' AND plate_no = ?)",
                            [day.description, plate])
            .filter { $0.plate == plate }
    }

    /// The latest decisions of the trips a driver is on, departing on `day` (as for a plate:
    /// the latest decision must name the driver).
    public func decisions(driver: String, day: CalendarDate) throws -> [TripDecision] {
        try latestDecisions(where: """
            departure_day = ? AND trip_id IN (SELECT r.trip_id FROM departure_driver d JOIN record r ON r.record_id = d.record_id
                                             WHERE d.driver_id = ?)
            """, [day.description, driver])
            .filter { $0.drivers.contains(driver) }
    }

    /// The newest records of a plate, a driver or a trip (at most `limit`), newest first.
    public func records(plate: String? = nil, driver: String? = nil, trip: String? = nil, limit: Int = 20) throws -> [StoredRecordSummary] {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let plate { conditions.append("plate_no = ?"); arguments.append(plate) }
        if let driver { conditions.append("driver_id = ?"); arguments.append(driver) }
        if let trip { conditions.append("trip_id = ?"); arguments.append(trip) }
        guard !conditions.isEmpty else { return [] }
        return try reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT kind, record_id, recorded_at, station_day, trip_id, plate_no, driver_id, alerts FROM record
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY recorded_at DESC, record_id DESC LIMIT \(max(1, limit))
                """, arguments: StatementArguments(arguments)).map { row in
                let alertsText: String = row["alerts"]
                return StoredRecordSummary(
                    kind: row["kind"], recordID: row["record_id"], recordedAtMicros: row["recorded_at"],
                    stationDay: row["station_day"], tripID: row["trip_id"], plate: row["plate_no"], driverID: row["driver_id"],
                    alerts: (try? TripStore.alerts(fromText: alertsText)) ?? [])
            }
        }
    }

    /// How many records and decisions the store holds (benchmarks, the rebuild event).
    public func counts() throws -> (records: Int, decisions: Int, trips: Int) {
        try reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM decision") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT trip_id) FROM record WHERE kind = 'departure'") ?? 0)
        }
    }

    private func latestDecisions(where condition: String, _ arguments: [String]) throws -> [TripDecision] {
        try reader.read { db in
            try String.fetchAll(db, sql: """
                SELECT decision FROM decision WHERE id IN (SELECT MAX(id) FROM decision WHERE \(condition) GROUP BY trip_id)
                ORDER BY departure_at, trip_id
                """, arguments: StatementArguments(arguments))
                .map { try JSONDecoder().decode(TripDecision.self, from: Data($0.utf8)) }
        }
    }
}

extension TripStore {
    /// Every stored decision in order: trip, the record that caused it, the verdict (tests and
    /// audits: each must have one journal entry).
    public func decisionLog() throws -> [(trip: String, cause: String, verdict: String)] {
        try reader.read { db in
            try Row.fetchAll(db, sql: "SELECT trip_id, cause_record_id, verdict FROM decision ORDER BY id").map {
                (trip: $0["trip_id"], cause: $0["cause_record_id"], verdict: $0["verdict"])
            }
        }
    }
}
