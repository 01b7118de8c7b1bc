// Trip: what the exit gate decides on (人车联检, 五不出站): a departure record and the records
// joined to it — the bus's latest inspection, each driver's check of the day, the trip's bags —
// each with its own alerts. `kind: trip` rules see it as one typed CEL value; the decision is
// RELEASE or HOLD with every reason named.
import CEL
import Foundation
import Records

/// One alert of a joined record, as the trip store keeps it.
public struct RecordAlert: Sendable, Codable, Equatable {
    public var rule: String
    public var action: String
    public var message: String

    public init(rule: String, action: String, message: String) {
        self.rule = rule; self.action = action; self.message = message
    }

    public init(_ alert: Alert) {
        self.init(rule: alert.rule, action: alert.action.rawValue, message: alert.message)
    }

    /// HOLD, REFUSE and REVIEW keep a bus at the gate: REVIEW means nothing was decided, so a
    /// person must look before it leaves.
    public var blocks: Bool { action != RuleAction.warn.rawValue }
}

/// A record joined into a trip, with its own alerts.
public struct JoinedRecord: Sendable {
    public let record: Record
    public let alerts: [RecordAlert]
    /// The record's body as the rules saw it when it arrived, if kept: the trip rules use it
    /// instead of converting the JSON again (a tenth of the store's thread in a burst).
    public let value: RecordValue?

    public init(record: Record, alerts: [RecordAlert], value: RecordValue? = nil) {
        self.record = record; self.alerts = alerts; self.value = value
    }

    /// No HOLD, REFUSE or REVIEW alert of its own.
    public var passed: Bool { !alerts.contains { $0.blocks } }
}

/// A record's body as the rules see it (a CEL object of its kind's type), made once by
/// `RuleGeneration.evaluateKeepingValue` and handed on with the record. Never changed after it
/// is made, so it may cross threads (the intake makes it, the trip store reads it).
public struct RecordValue: @unchecked Sendable {
    let object: ObjectValue
}

/// A trip as the store joins it. Built by Trips from records recorded at or before
/// `departureAt` only: a record after departure never clears a trip.
public struct Trip: Sendable {
    public let id: String
    /// The trip's latest departure record.
    public let departure: JoinedRecord
    /// `actual_departure_at` when the gate recorded it, else `scheduled_departure_at`.
    public let departureAt: RFC3339Timestamp
    /// The start of the vehicle window: a vehicle record counts from here to `departureAt`.
    public let vehicleSince: RFC3339Timestamp
    /// The departure's station day (driver checks count on this day only).
    public let stationDay: CalendarDate
    /// The latest vehicle record for the plate in the window, if any.
    public let vehicle: JoinedRecord?
    /// The latest check of each driver in `driver_ids` found on the station day, in that order.
    public let drivers: [JoinedRecord]
    /// The trip's luggage records, the latest per bag id.
    public let luggage: [JoinedRecord]

    public init(id: String, departure: JoinedRecord, departureAt: RFC3339Timestamp, vehicleSince: RFC3339Timestamp,
                stationDay: CalendarDate, vehicle: JoinedRecord?, drivers: [JoinedRecord], luggage: [JoinedRecord]) {
        self.id = id; self.departure = departure; self.departureAt = departureAt; self.vehicleSince = vehicleSince
        self.stationDay = stationDay; self.vehicle = vehicle; self.drivers = drivers; self.luggage = luggage
    }

    /// A trip from its joined records: the departure time, the vehicle window and the station
    /// day follow from the departure record. nil without a departure time.
    public init?(id: String, departure: JoinedRecord, vehicle: JoinedRecord?, drivers: [JoinedRecord], luggage: [JoinedRecord],
                 stationDate: (RFC3339Timestamp) -> CalendarDate) {
        guard let at = Trip.departureTime(of: departure.record),
              let since = RFC3339Timestamp.parse(Trip.utcText(at.secondsSinceEpoch - Trip.vehicleWindowSeconds)) else { return nil }
        self.init(id: id, departure: departure, departureAt: at, vehicleSince: since, stationDay: stationDate(at),
                  vehicle: vehicle, drivers: drivers, luggage: luggage)
    }

    /// A vehicle inspection counts for departures up to this long after it.
    public static let vehicleWindowSeconds: Int64 = 24 * 3600

    /// `actual_departure_at` when the gate recorded it, else `scheduled_departure_at`.
    public static func departureTime(of departure: Record) -> RFC3339Timestamp? {
        departure.timestamp(atPath: "actual_departure_at") ?? departure.timestamp(atPath: "scheduled_departure_at")
    }

    /// An instant as RFC 3339 text in UTC (window starts are instants, not kiosk text).
    static func utcText(_ seconds: Int64) -> String {
        let day = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let sec = seconds - day * 86400
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(CalendarDate(daysSinceEpoch: Int(day)))T\(two(sec / 3600)):\(two(sec % 3600 / 60)):\(two(sec % 60))Z"
    }

    /// `driver_ids` of the departure record.
    public var driverIDs: [String] {
        guard case .array(let items)? = departure.record.body["driver_ids"] else { return [] }
        return items.compactMap(\.stringValue)
    }
}

/// RELEASE: the bus may leave; HOLD: it may not.
public enum TripVerdict: String, Sendable, Codable {
    case release = "RELEASE"
    case hold = "HOLD"
}

/// One reason in a decision: a joined record's blocking alert, or a trip rule that fired or
/// could not decide.
public struct TripReason: Sendable, Codable, Equatable {
    public var rule: String
    public var action: String
    public var message: String

    public init(rule: String, action: String, message: String) {
        self.rule = rule; self.action = action; self.message = message
    }
}

/// A record a decision rests on, for `stationguard status`.
public struct TripBasis: Sendable, Codable, Equatable {
    public var kind: String
    public var recordID: String
    /// When it was recorded, at the station (`2026-10-01 06:42`).
    public var recordedAt: String
    /// No HOLD, REFUSE or REVIEW alert of its own.
    public var passed: Bool

    public init(kind: String, recordID: String, recordedAt: String, passed: Bool) {
        self.kind = kind; self.recordID = recordID; self.recordedAt = recordedAt; self.passed = passed
    }
}

/// One decision about one trip.
public struct TripDecision: Sendable, Codable, Equatable {
    public var verdict: TripVerdict
    public var tripID: String
    public var plate: String?
    /// The departure record the decision is about.
    public var departureRecordID: String
    public var drivers: [String]
    /// Every reason, HOLD ones first; a RELEASE may still carry WARN reasons.
    public var reasons: [TripReason]
    /// The message for the gate officer, in the configured language, ID numbers masked.
    public var message: String
    /// The departure time (`2026-10-01 07:31` at the station: actual, else scheduled) and the
    /// records joined.
    public var departureAt: String
    public var basis: [TripBasis]
    /// The timetable's departure time (`scheduled_departure_at`, same form), which the duty
    /// board lists trips by; nil in decisions stored before it was kept.
    public var scheduledAt: String?

    public init(verdict: TripVerdict, tripID: String, plate: String?, departureRecordID: String, drivers: [String],
                reasons: [TripReason], message: String, departureAt: String, basis: [TripBasis], scheduledAt: String? = nil) {
        self.verdict = verdict; self.tripID = tripID; self.plate = plate; self.departureRecordID = departureRecordID
        self.drivers = drivers; self.reasons = reasons; self.message = message; self.departureAt = departureAt
        self.basis = basis; self.scheduledAt = scheduledAt
    }

    /// The decision as the trip store keeps it: JSON with the Codable keys, which `JSONDecoder`
    /// reads back into an equal decision. Written by hand: JSONEncoder took a tenth of the
    /// store's thread in a burst.
    public var storedJSON: String {
        let q = JSONValue.quoted
        var out = "{\"verdict\":" + q(verdict.rawValue) + ",\"tripID\":" + q(tripID)
        if let plate { out += ",\"plate\":" + q(plate) }
        out += ",\"departureRecordID\":" + q(departureRecordID)
        out += ",\"drivers\":[" + drivers.map(q).joined(separator: ",") + "]"
        out += ",\"reasons\":[" + reasons.map {
            "{\"rule\":" + q($0.rule) + ",\"action\":" + q($0.action) + ",\"message\":" + q($0.message) + "}"
        }.joined(separator: ",") + "]"
        out += ",\"message\":" + q(message) + ",\"departureAt\":" + q(departureAt)
        out += ",\"basis\":[" + basis.map {
            "{\"kind\":" + q($0.kind) + ",\"recordID\":" + q($0.recordID) + ",\"recordedAt\":" + q($0.recordedAt)
                + ",\"passed\":" + ($0.passed ? "true" : "false") + "}"
        }.joined(separator: ",") + "]"
        if let scheduledAt { out += ",\"scheduledAt\":" + q(scheduledAt) }
        return out + "}"
    }

    /// The time the board and `status` list the trip by: the scheduled one when known.
    public var timetableAt: String { scheduledAt ?? departureAt }

    /// `timetableAt`'s clock time alone (`07:30`), for a row that is already about one day.
    public var timetableClock: String { timetableAt.count >= 16 ? String(timetableAt.suffix(5)) : timetableAt }

    /// MESSAGE_ID of every verdict entry (systemd/stationguard.catalog explains it).
    public static let messageID = "5d1f3c7e9a2b4e6f8c0d1a3b5e7f9c2d"

    /// The journal entry (interfaces.md §2, trip verdicts): one `SG_RULE` per reason.
    /// - Parameters:
    ///   - station: the configured station's code.
    ///   - cause: the record whose arrival led to this decision (id and SHA-256), so that crash
    ///     recovery can tell which verdicts the journal already holds.
    public func journalFields(station: String?, cause: (id: String, sha256: String), rulesVersion: String)
        -> [(name: String, value: String)] {
        var f: [(String, String)] = [
            ("MESSAGE", JournalText.clean(message)),
            ("PRIORITY", verdict == .hold ? "2" : "5"),
            ("MESSAGE_ID", TripDecision.messageID),
            ("SYSLOG_IDENTIFIER", "stationguard"),
            ("SG_EVENT", "verdict"),
            ("SG_VERDICT", verdict.rawValue),
            ("SG_TRIP", JournalText.clean(tripID)),
        ]
        if let plate { f.append(("SG_PLATE", JournalText.clean(plate))) }
        if let station, !station.isEmpty { f.append(("SG_STATION", JournalText.clean(station))) }
        f.append(("SG_RECORD_ID", JournalText.clean(departureRecordID)))
        for d in drivers { f.append(("SG_DRIVER", JournalText.clean(d))) }
        for r in reasons { f.append(("SG_RULE", JournalText.clean(r.rule))) }
        f.append(("SG_CAUSE_RECORD_ID", JournalText.clean(cause.id)))
        f.append(("SG_CAUSE_SHA256", cause.sha256))
        f.append(("SG_RULES_VERSION", rulesVersion))
        return f
    }

    /// `check --format json`: `{"verdict", "trip_id", "record_id", "reasons": [{"rule", "message"}]}`.
    public var jsonLine: String {
        let reasons = self.reasons.map {
            "{\"rule\":\(JSONValue.quoted(JournalText.clean($0.rule))),\"action\":\(JSONValue.quoted($0.action)),\"message\":\(JSONValue.quoted(JournalText.clean($0.message)))}"
        }
        return "{\"verdict\":\(JSONValue.quoted(verdict.rawValue)),\"trip_id\":\(JSONValue.quoted(JournalText.clean(tripID))),"
            + "\"record_id\":\(JSONValue.quoted(JournalText.clean(departureRecordID))),"
            + "\"plate\":\(JSONValue.quoted(JournalText.clean(plate ?? ""))),"
            + "\"reasons\":[\(reasons.joined(separator: ","))]}"
    }
}

// MARK: - The trip as a CEL value

/// The CEL object types of a trip (`Trip`, `VehicleCheck`, `DriverCheck`, `LuggageCheck`,
/// `RecordAlert`), declared once per load next to the record types.
final class TripTypes {
    let trip: ObjectType
    let alert: ObjectType
    let checks: [RecordKind: ObjectType]
    var all: [ObjectType] { [trip, alert] + checks.values.sorted { $0.name < $1.name } }
    private let records: RecordTypes

    init(records: RecordTypes) {
        self.records = records
        alert = ObjectType(name: "RecordAlert", fields: [("rule", .string), ("action", .string), ("message", .string)])
        var checks: [RecordKind: ObjectType] = [:]
        for kind in [RecordKind.vehicle, .driver, .luggage] {
            let name = kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst() + "Check"
            checks[kind] = ObjectType(name: name, fields: [
                ("record", .object(records.kinds[kind]!.name)),
                ("alerts", .list(.object("RecordAlert"))),
                // No HOLD, REFUSE or REVIEW alert of its own.
                ("passed", .bool),
                // The rule ids of those alerts, for messages.
                ("blocking", .list(.string)),
            ])
        }
        self.checks = checks
        trip = ObjectType(name: "Trip", fields: [
            ("id", .string),
            ("departure", .object(records.kinds[.departure]!.name)),
            ("departure_alerts", .list(.object("RecordAlert"))),
            ("departure_at", .timestamp),
            ("station_day", .string),
            ("vehicle_since", .timestamp),
            // The same two instants as the officer reads clocks, for messages: 2026-09-30 09:00.
            ("departure_text", .string),
            ("vehicle_since_text", .string),
            ("vehicle", .object(checks[.vehicle]!.name)),
            ("drivers", .list(.object(checks[.driver]!.name))),
            // driver_ids with no check on the station day before departure.
            ("missing_drivers", .list(.string)),
            ("luggage", .list(.object(checks[.luggage]!.name))),
            // planned_arrival_at − departure_at in minutes; absent without a planned arrival.
            ("planned_minutes", .int),
        ])
    }

    /// The trip as a value of type `Trip`; absent parts are nil slots (`has(trip.vehicle)`).
    /// - Parameter clock: an instant at the station as text (`2026-09-30 09:00`).
    func value(of t: Trip, clock: (RFC3339Timestamp) -> String) -> Value {
        func alerts(_ a: [RecordAlert]) -> Value {
            .list(a.map { .object(ObjectValue(type: alert, fields: [.string($0.rule), .string($0.action), .string($0.message)])) })
        }
        func check(_ j: JoinedRecord) -> Value? {
            guard let type = checks[j.record.kind], let body = body(j) else { return nil }
            return .object(ObjectValue(type: type, fields: [
                .object(body), alerts(j.alerts), .bool(j.passed),
                .list(j.alerts.filter(\.blocks).map { .string($0.rule) }),
            ]))
        }
        let found = Set(t.drivers.compactMap { $0.record.body["driver_id"]?.stringValue })
        var planned: Value?
        if let arrival = t.departure.record.timestamp(atPath: "planned_arrival_at") {
            planned = .int((arrival.secondsSinceEpoch - t.departureAt.secondsSinceEpoch) / 60)
        }
        let departure = body(t.departure).map { Value.object($0) }
        return .object(ObjectValue(type: trip, fields: [
            .string(t.id),
            departure,
            alerts(t.departure.alerts),
            TripTypes.timestamp(t.departureAt),
            .string(t.stationDay.description),
            TripTypes.timestamp(t.vehicleSince),
            .string(clock(t.departureAt)),
            .string(clock(t.vehicleSince)),
            t.vehicle.flatMap(check),
            .list(t.drivers.compactMap(check)),
            .list(t.driverIDs.filter { !found.contains($0) }.map { .string($0) }),
            .list(t.luggage.compactMap(check)),
            planned,
        ]))
    }

    /// The record's body as a CEL object: the one kept from its arrival when it was made with
    /// these types (a reload may have changed the schema's types since), else converted now.
    private func body(_ j: JoinedRecord) -> ObjectValue? {
        if let kept = j.value?.object, kept.type === records.kinds[j.record.kind] { return kept }
        return records.value(of: j.record.body, kind: j.record.kind)
    }

    static func timestamp(_ ts: RFC3339Timestamp) -> Value {
        .timestamp(CELTimestamp(seconds: ts.secondsSinceEpoch, nanos: ts.nanoseconds))
    }
}
