// NAME
//   TripStore: the station's recent records, joined into trips (人车联检), and the decisions taken.
// SUMMARY
//   One SQLite database (GRDB) in the daemon's state directory. `ingest` stores a record with
//   its alerts, works out which trips it may change, joins each (Trip), has the rules decide it
//   and stores the decisions, all in one transaction. `status` and `board` read it.
// DESCRIPTION
//   Joins (design/trip-verdicts.md), all on the records' own times, never the machine's clock:
//   the trip's latest departure record fixes the departure time (actual_departure_at, else
//   scheduled_departure_at); the vehicle is the plate's latest record in the 24 hours before;
//   each driver's latest check on the departure's station day, before departure; the bags
//   recorded before departure, the latest per bag id. "Latest" is by recorded_at, ties by
//   record id, so any arrival order of the same records gives the same trip.
//   A record is decided into the trips it can change: its own trip (departure, luggage), the
//   plate's departures in the next 24 hours (vehicle), the driver's departures later that
//   station day (driver). A record recorded after a departure changes nothing for that trip.
// IDEMPOTENCE
//   A record is keyed by record_id: the same bytes again (crash recovery, a kiosk resending)
//   store nothing and decide nothing new (`repeated`, with the decisions stored the first
//   time); other bytes under a stored id are a `conflict`, never an overwrite.
// DURABILITY
//   WAL with synchronous=NORMAL: a SIGKILL loses nothing committed; a power cut may lose the
//   last transactions, whose records are then still in the spool's cur/ and are ingested again.
//   A store that cannot be opened (missing, not a database, failing its check) is moved aside
//   and created anew (`Opening.recreated`); the daemon then rebuilds it from done/.
import Foundation
import GRDB
import GRDBSQLite
import Records
import Rules

// GRDB has a Record class of its own; here a record is always a kiosk record.
typealias Record = Records.Record

public final class TripStore: @unchecked Sendable {
    /// What opening found.
    public enum Opening: Equatable, Sendable {
        case opened
        /// No store yet.
        case created
        /// The old file could not be used; it was kept beside as `path.corrupt-N`.
        case recreated(reason: String)
    }

    /// What `ingest` did with a record.
    public enum Outcome: Equatable, Sendable {
        case stored
        /// The same bytes were stored before.
        case repeated
        /// The id was stored before with other bytes: the first version stays.
        case conflict(storedSHA256: String, storedFile: String)
    }

    public struct Ingested: Sendable {
        public let outcome: Outcome
        /// The decisions this record caused (for `repeated`, those stored the first time).
        public let decisions: [TripDecision]
    }

    public static let fileName = "trips.sqlite"
    /// A vehicle inspection counts for departures up to this long after it.
    public static let vehicleWindowSeconds = Trip.vehicleWindowSeconds

    public let path: String?
    public let opening: Opening
    private let db: any DatabaseWriter
    var reader: any DatabaseReader { db }
    /// Decoded records by id: a trip is rebuilt on every decision, and decoding its records
    /// again each time would cost more than the join. Bounded; cleared when full.
    /// With the CEL value its rules made on arrival, when kept.
    private var decoded: [String: (Record, RecordValue?)] = [:]
    private let cacheLock = NSLock()
    /// Where `ingestAhead` stores its groups, one after the other.
    private let queue = DispatchQueue(label: "trip-store")
    /// A trip's records arrive within hours: at 1,000 trips a day that is a few hundred records.
    /// 8,192 doubled the daemon's peak memory in a burst (62 MB against 31 MB before the store).
    private static let cacheLimit = 2048

    /// Opens (or creates) `DIR/trips.sqlite`; an in-memory store when `directory` is nil
    /// (`stationguard check` without `--state`).
    /// - Parameter readOnly: for `status` and `board`, safe while the daemon writes.
    public init(directory: String?, readOnly: Bool = false) throws {
        guard let directory else {
            path = nil
            opening = .created
            db = try DatabaseQueue()
            try TripStore.migrator.migrate(db)
            return
        }
        let path = directory.hasSuffix("/") ? directory + TripStore.fileName : directory + "/" + TripStore.fileName
        self.path = path
        let existed = FileManager.default.fileExists(atPath: path)
        if readOnly {
            guard existed else { throw TripStoreError.missing(path) }
            var config = Configuration()
            config.readonly = true
            let pool = try DatabasePool(path: path, configuration: config)
            guard try pool.read({ try TripStore.migrator.hasCompletedMigrations($0) }) else {
                throw TripStoreError.olderSchema(path)
            }
            db = pool
            opening = .opened
            return
        }
        do {
            db = try TripStore.openChecked(path)
            opening = existed ? .opened : .created
        } catch {
            // Unusable: keep it for the administrator, start anew (the daemon rebuilds from done/).
            var n = 1
            while FileManager.default.fileExists(atPath: "\(path).corrupt-\(n)") { n += 1 }
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try? FileManager.default.moveItem(atPath: path + suffix, toPath: "\(path).corrupt-\(n)\(suffix)")
            }
            db = try TripStore.openChecked(path)
            opening = .recreated(reason: "\(error)")
        }
    }

    private static func openChecked(_ path: String) throws -> DatabasePool {
        var config = Configuration()
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Each record of a group has a savepoint; its statement journal (a copy of every page
            // the record touches) stays in memory instead of two pwrite(2)s per page to a temp file.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Persistent WAL: -wal and -shm stay when the daemon closes the store, so `status` and
            // `board` (read-only, as a gate officer in the daemon's group) can open it while the
            // daemon is stopped too; without them SQLite needs write access to the directory.
            // With a size limit set, a clean close empties the -wal (truncated to 0 bytes), so no
            // stale frames wait beside the database; while running it is cut back to 4 MiB.
            try db.execute(sql: "PRAGMA journal_size_limit = 4194304")
            var persist: CInt = 1
            let code = sqlite3_file_control(db.sqliteConnection, nil, SQLITE_FCNTL_PERSIST_WAL, &persist)
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
        }
        let pool = try DatabasePool(path: path, configuration: config)
        let check = try pool.read { try String.fetchOne($0, sql: "PRAGMA quick_check") }
        guard check == "ok" else { throw TripStoreError.corrupt(path, check ?? "no answer") }
        try migrator.migrate(pool)
        return pool
    }

    /// Schema versions; each step runs once, in order (GRDB records them in grdb_migrations).
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE record (
                    record_id TEXT PRIMARY KEY NOT NULL,
                    sha256 TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    station_code TEXT NOT NULL,
                    trip_id TEXT,
                    plate_no TEXT,
                    driver_id TEXT,
                    bag_id TEXT,
                    recorded_at INTEGER NOT NULL,      -- microseconds since 1970 (UTC)
                    station_day TEXT NOT NULL,         -- YYYY-MM-DD at the station
                    departure_at INTEGER,              -- departures: actual, else scheduled (µs)
                    scheduled_at INTEGER,              -- departures: scheduled (µs)
                    departure_day TEXT,                -- departures: station day of departure_at
                    file_name TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    alerts TEXT NOT NULL               -- JSON [RecordAlert]
                );
                CREATE INDEX record_trip ON record(trip_id, kind, recorded_at);
                CREATE INDEX record_plate ON record(plate_no, kind, recorded_at);
                CREATE INDEX record_driver ON record(driver_id, kind, recorded_at);
                CREATE INDEX record_day ON record(station_day);
                CREATE INDEX record_departure_day ON record(departure_day, departure_at);
                CREATE TABLE departure_driver (
                    record_id TEXT NOT NULL REFERENCES record(record_id) ON DELETE CASCADE,
                    driver_id TEXT NOT NULL
                );
                CREATE INDEX departure_driver_id ON departure_driver(driver_id);
                CREATE INDEX departure_driver_record ON departure_driver(record_id);
                CREATE TABLE decision (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    trip_id TEXT NOT NULL,
                    departure_day TEXT NOT NULL,
                    departure_at INTEGER NOT NULL,
                    cause_record_id TEXT NOT NULL,
                    cause_sha256 TEXT NOT NULL,
                    verdict TEXT NOT NULL,
                    decision TEXT NOT NULL             -- JSON TripDecision
                );
                CREATE INDEX decision_trip ON decision(trip_id, id);
                CREATE INDEX decision_cause ON decision(cause_record_id);
                CREATE INDEX decision_day ON decision(departure_day);
                """)
        }
        // v2: every record paid for two index entries that few use: departure_day was never
        // looked up in `record` (decisions have their own), and only driver records have a
        // driver_id. Fewer entries per insert: the store's share of a burst.
        m.registerMigration("v2") { db in
            try db.execute(sql: """
                DROP INDEX record_departure_day;
                DROP INDEX record_driver;
                CREATE INDEX record_driver ON record(driver_id, kind, recorded_at) WHERE driver_id IS NOT NULL;
                """)
        }
        return m
    }

    // MARK: - Writing

    /// One record on its way into the store, with its row worked out beforehand: made on the
    /// daemon's intake thread, so the store's thread (the busier of the two in a burst) only
    /// runs SQL and the trip rules.
    public struct Arrival: Sendable {
        public let record: Records.Record
        public let alerts: [Alert]
        /// The record's body as its rules saw it, kept for the trip rules.
        fileprivate let value: RecordValue?
        fileprivate let bytes: Data
        fileprivate let alertsText: String
        fileprivate let stationDay: String
        fileprivate let departure: (at: Int64, scheduled: Int64?, day: String)?
        fileprivate let driverIDs: [String]

        /// - Parameter bytes: the file's bytes (kept, so the record can be decoded again for later joins).
        public init(_ record: Records.Record, bytes: [UInt8], alerts: [Alert], rules: RuleGeneration, value: RecordValue? = nil) {
            self.record = record
            self.alerts = alerts
            self.value = value
            self.bytes = Data(bytes)
            alertsText = TripStore.alertsText(alerts.map(RecordAlert.init))
            stationDay = rules.stationDate(record.recordedAt).description
            if record.kind == .departure, let at = Trip.departureTime(of: record) {
                departure = (TripStore.micros(at), record.timestamp(atPath: "scheduled_departure_at").map(TripStore.micros),
                             rules.stationDate(at).description)
            } else {
                departure = nil
            }
            if record.kind == .departure, case .array(let ids)? = record.body["driver_ids"] {
                var seen = Set<String>()
                driverIDs = ids.compactMap(\.stringValue).filter { seen.insert($0).inserted }
            } else {
                driverIDs = []
            }
            _ = record.sha256  // hashed here, not on the store's thread
        }
    }

    /// Stores a record with its alerts and decides every trip it may change.
    /// - Parameter decide: false while rebuilding from done/ (the decisions then are history, not news).
    public func ingest(_ record: Records.Record, bytes: [UInt8], alerts: [Alert], rules: RuleGeneration,
                       decide: Bool = true) throws -> Ingested {
        try ingest([Arrival(record, bytes: bytes, alerts: alerts, rules: rules)], rules: rules, decide: decide)[0].get()
    }

    /// Stores records in the given order, each as `ingest(_:bytes:alerts:rules:decide:)` would,
    /// in one transaction: a burst pays for one commit (the WAL's frames and the SQLite lock)
    /// per group instead of one per record, the largest cost of the store in a burst. A record
    /// that fails leaves the others stored: the group is then stored again with a savepoint
    /// per record (a savepoint for every record cost a tenth of the store's thread in a burst,
    /// and records rarely fail).
    /// - Returns: one result per arrival, in order; every one fails if the commit does.
    public func ingest(_ arrivals: [Arrival], rules: RuleGeneration, decide: Bool = true) -> [Result<Ingested, Error>] {
        if arrivals.count > 1, let stored = try? db.write({ db in
            try arrivals.map { Result<Ingested, Error>.success(try ingest($0, rules: rules, decide: decide, db)) }
        }) {
            return stored
        }
        do {
            return try db.write { db in
                arrivals.map { arrival in
                    var result: Result<Ingested, Error>!
                    do {
                        try db.inSavepoint {
                            result = .success(try ingest(arrival, rules: rules, decide: decide, db))
                            return .commit
                        }
                    } catch {
                        // Rolled back to the savepoint; a failing disk fails the commit below too.
                        result = .failure(error)
                    }
                    return result
                }
            }
        } catch {
            return arrivals.map { _ in .failure(error) }
        }
    }

    /// A group being stored on the store's own thread (`ingestAhead`).
    public final class PendingIngest: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var results: [Result<Ingested, Error>] = []

        fileprivate func finish(_ results: [Result<Ingested, Error>]) {
            self.results = results
            done.signal()
        }

        /// The group's results, as `ingest(_:rules:decide:)` returns them, once stored.
        public func wait() -> [Result<Ingested, Error>] {
            done.wait()
            done.signal()  // a second wait returns at once
            return results
        }
    }

    /// `ingest(_:rules:)` on the store's own thread, so the daemon's intake judges the next
    /// group meanwhile (on two cores the store's work and the rules' no longer add up). Groups
    /// are stored in the order they are handed over.
    public func ingestAhead(_ arrivals: [Arrival], rules: RuleGeneration) -> PendingIngest {
        let pending = PendingIngest()
        nonisolated(unsafe) let rules = rules  // immutable once compiled
        queue.async { pending.finish(self.ingest(arrivals, rules: rules)) }
        return pending
    }

    private func ingest(_ arrival: Arrival, rules: RuleGeneration, decide: Bool, _ db: Database) throws -> Ingested {
        let record = arrival.record
        guard try insert(arrival, db) else {
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sha256, file_name FROM record WHERE record_id = ?"),
                                       arguments: [record.id])
            guard let row else { throw TripStoreError.vanished(record.id) }
            let sha: String = row["sha256"]
            if sha == record.sha256 {
                return Ingested(outcome: .repeated, decisions: try decisions(causedBy: record.id, db))
            }
            return Ingested(outcome: .conflict(storedSHA256: sha, storedFile: row["file_name"]), decisions: [])
        }
        guard decide else { return Ingested(outcome: .stored, decisions: []) }
        var made: [TripDecision] = []
        for tripID in try affectedTrips(by: record, db) {
            guard let trip = try join(tripID, rules: rules, db), counts(record, in: trip) else { continue }
            let decision = rules.decide(trip)
            try store(decision, trip: trip, cause: record, db)
            made.append(decision)
        }
        return Ingested(outcome: .stored, decisions: made)
    }

    /// Decides every trip of the store once more and stores the decisions (after a rebuild from
    /// done/, so status and the board show a verdict for each trip). Nothing is written to the
    /// journal for these.
    public func decideAll(rules: RuleGeneration) throws -> Int {
        try db.write { db in
            let trips = try String.fetchAll(db, sql: "SELECT DISTINCT trip_id FROM record WHERE kind = 'departure'")
            var n = 0
            for id in trips {
                guard let trip = try join(id, rules: rules, db) else { continue }
                try store(rules.decide(trip), trip: trip, cause: trip.departure.record, db)
                n += 1
            }
            return n
        }
    }

    /// Removes records and decisions of station days before `day`.
    /// - Returns: how many records were removed.
    @discardableResult
    public func prune(before day: CalendarDate) throws -> Int {
        try db.write { db in
            try db.execute(sql: "DELETE FROM departure_driver WHERE record_id IN (SELECT record_id FROM record WHERE station_day < ?)",
                           arguments: [day.description])
            try db.execute(sql: "DELETE FROM record WHERE station_day < ?", arguments: [day.description])
            let removed = db.changesCount
            try db.execute(sql: "DELETE FROM decision WHERE departure_day < ?", arguments: [day.description])
            return removed
        }
    }

    /// Stores the record's row, unless its id is stored already (one look-up instead of two:
    /// the primary key's conflict is the check).
    /// - Returns: false when a record with this id was stored before (nothing was written).
    private func insert(_ arrival: Arrival, _ db: Database) throws -> Bool {
        let record = arrival.record
        // Cached statements: compiling SQL cost more than running it (bench/trips profile).
        try db.cachedStatement(sql: """
            INSERT INTO record (record_id, sha256, kind, station_code, trip_id, plate_no, driver_id, bag_id, recorded_at,
                station_day, departure_at, scheduled_at, departure_day, file_name, bytes, alerts)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (record_id) DO NOTHING
            """).execute(arguments: [record.id, record.sha256, record.kind.rawValue, record.stationCode, record.tripID, record.plateNo,
                             record.body["driver_id"]?.stringValue, record.body["bag_id"]?.stringValue,
                             TripStore.micros(record.recordedAt), arrival.stationDay,
                             arrival.departure?.at, arrival.departure?.scheduled, arrival.departure?.day, record.fileName,
                             arrival.bytes, arrival.alertsText])
        guard db.changesCount > 0 else { return false }
        for id in arrival.driverIDs {
            try db.cachedStatement(sql: "INSERT INTO departure_driver (record_id, driver_id) VALUES (?, ?)")
                .execute(arguments: [record.id, id])
        }
        remember(record, arrival.value)
        return true
    }

    private func store(_ decision: TripDecision, trip: Trip, cause: Record, _ db: Database) throws {
        let json = decision.storedJSON
        try db.cachedStatement(sql: """
            INSERT INTO decision (trip_id, departure_day, departure_at, cause_record_id, cause_sha256, verdict, decision)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [trip.id, trip.stationDay.description, TripStore.micros(trip.departureAt), cause.id, cause.sha256,
                             decision.verdict.rawValue, json])
    }

    private func decisions(causedBy recordID: String, _ db: Database) throws -> [TripDecision] {
        try String.fetchAll(db.cachedStatement(sql: "SELECT decision FROM decision WHERE cause_record_id = ? ORDER BY id"), arguments: [recordID])
            .map { try JSONDecoder().decode(TripDecision.self, from: Data($0.utf8)) }
    }

    // MARK: - The join

    /// The trips a newly stored record may change.
    private func affectedTrips(by record: Record, _ db: Database) throws -> [String] {
        let t = TripStore.micros(record.recordedAt)
        switch record.kind {
        case .departure, .luggage:
            guard let trip = record.tripID else { return [] }
            let hasDeparture = try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM record WHERE kind = 'departure' AND trip_id = ?)"),
                                                 arguments: [trip]) ?? false
            return hasDeparture ? [trip] : []
        case .vehicle:
            guard let plate = record.plateNo else { return [] }
            return try String.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT trip_id FROM record WHERE kind = 'departure' AND plate_no = ?
                    AND departure_at >= ? AND departure_at <= ? ORDER BY trip_id
                """), arguments: [plate, t, t + TripStore.vehicleWindowSeconds * 1_000_000])
        case .driver:
            guard let driver = record.body["driver_id"]?.stringValue else { return [] }
            return try String.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT r.trip_id FROM departure_driver d JOIN record r ON r.record_id = d.record_id
                WHERE d.driver_id = ? AND r.departure_at >= ? ORDER BY r.trip_id
                """), arguments: [driver, t])
        }
    }

    /// Whether `record` takes part in `trip` (is within its join): only then does its arrival
    /// make a decision. A departure record always does.
    private func counts(_ record: Record, in trip: Trip) -> Bool {
        switch record.kind {
        case .departure: return true
        case .vehicle: return trip.vehicle?.record.id == record.id
        case .driver: return trip.drivers.contains { $0.record.id == record.id }
        case .luggage: return trip.luggage.contains { $0.record.id == record.id }
        }
    }

    /// The trip as the store holds it now, or nil without a departure record.
    private func join(_ tripID: String, rules: RuleGeneration, _ db: Database) throws -> Trip? {
        // Not the bytes: a record decoded before comes from the cache (joined(_:_:)).
        let columns = "record_id, bag_id, file_name, alerts"
        let order = "ORDER BY recorded_at DESC, record_id DESC"
        guard let depRow = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM record WHERE kind = 'departure' AND trip_id = ? \(order) LIMIT 1"),
                                            arguments: [tripID]),
              let departure = try joined(depRow, db) else { return nil }
        let depRecord = departure.record
        // The trip's times, with no vehicle, driver or bag yet: they fix the windows below.
        guard let frame = Trip(id: tripID, departure: departure, vehicle: nil, drivers: [], luggage: [],
                               stationDate: rules.stationDate) else { return nil }
        let at = frame.departureAt, since = frame.vehicleSince, day = frame.stationDay
        let atMicros = TripStore.micros(at)

        var vehicle: JoinedRecord?
        if let plate = depRecord.plateNo,
           let row = try Row.fetchOne(db.cachedStatement(sql: """
               SELECT \(columns) FROM record WHERE kind = 'vehicle' AND plate_no = ? AND recorded_at >= ? AND recorded_at <= ? \(order) LIMIT 1
               """), arguments: [plate, TripStore.micros(since), atMicros]) {
            vehicle = try joined(row, db)
        }
        var drivers: [JoinedRecord] = []
        var seen = Set<String>()
        if case .array(let ids)? = depRecord.body["driver_ids"] {
            for id in ids.compactMap(\.stringValue) where seen.insert(id).inserted {
                if let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT \(columns) FROM record WHERE kind = 'driver' AND driver_id = ? AND station_day = ? AND recorded_at <= ? \(order) LIMIT 1
                    """), arguments: [id, day.description, atMicros]), let d = try joined(row, db) {
                    drivers.append(d)
                }
            }
        }
        var luggage: [JoinedRecord] = []
        var bags = Set<String>()
        for row in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT \(columns) FROM record WHERE kind = 'luggage' AND trip_id = ? AND recorded_at <= ? \(order)
            """), arguments: [tripID, atMicros]) {
            let bag: String = row["bag_id"] ?? row["record_id"]
            guard bags.insert(bag).inserted, let l = try joined(row, db) else { continue }
            luggage.append(l)
        }
        luggage.sort { ($0.record.body["bag_id"]?.stringValue ?? $0.record.id) < ($1.record.body["bag_id"]?.stringValue ?? $1.record.id) }
        return Trip(id: tripID, departure: departure, departureAt: at, vehicleSince: since, stationDay: day,
                    vehicle: vehicle, drivers: drivers, luggage: luggage)
    }

    private func joined(_ row: Row, _ db: Database) throws -> JoinedRecord? {
        let id: String = row["record_id"]
        let alertsText: String = row["alerts"]
        let alerts = try TripStore.alerts(fromText: alertsText)
        if let (r, value) = cached(id) { return JoinedRecord(record: r, alerts: alerts, value: value) }
        guard let bytes = try Data.fetchOne(db.cachedStatement(sql: "SELECT bytes FROM record WHERE record_id = ?"), arguments: [id]),
              case .success(let record) = RecordDecoder.decode([UInt8](bytes), fileName: row["file_name"]) else {
            return nil   // stored only after it decoded; a schema change could refuse it now
        }
        remember(record, nil)
        return JoinedRecord(record: record, alerts: alerts)
    }

    private func cached(_ id: String) -> (Record, RecordValue?)? {
        cacheLock.lock(); defer { cacheLock.unlock() }
        return decoded[id]
    }

    private func remember(_ record: Record, _ value: RecordValue?) {
        cacheLock.lock(); defer { cacheLock.unlock() }
        if decoded.count >= TripStore.cacheLimit { decoded.removeAll(keepingCapacity: true) }
        decoded[record.id] = (record, value)
    }

    // MARK: - Alerts as stored

    /// A record's alerts as the `alerts` column holds them (JSON). Most records have none, and
    /// Foundation's JSON coders cost more to set up than the empty list costs to write.
    static func alertsText(_ alerts: [RecordAlert]) -> String {
        // Three strings per alert: JSONEncoder throws only for values JSON cannot hold
        // (non-finite numbers), so the fallback is never taken.
        guard !alerts.isEmpty, let data = try? JSONEncoder().encode(alerts) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func alerts(fromText text: String) throws -> [RecordAlert] {
        text == "[]" ? [] : try JSONDecoder().decode([RecordAlert].self, from: Data(text.utf8))
    }

    // MARK: - Times

    static func micros(_ ts: RFC3339Timestamp) -> Int64 {
        ts.secondsSinceEpoch * 1_000_000 + Int64(ts.nanoseconds / 1000)
    }

}

/// Why the store cannot be used.
public enum TripStoreError: Error, CustomStringConvertible {
    case missing(String)
    case olderSchema(String)
    case corrupt(String, String)
    /// The id's row conflicted on insert and was gone at the look-up (cannot happen inside one
    /// transaction; said rather than assumed).
    case vanished(String)

    public var description: String {
        switch self {
        case .missing(let p): return "\(p): no trip store (has the daemon run with this state directory?)"
        case .olderSchema(let p): return "\(p): the trip store has an older schema; start the daemon once to migrate it"
        case .corrupt(let p, let why): return "\(p): the database check failed: \(why)"
        case .vanished(let id): return "record \(JournalText.clean(id)): stored, yet not found in the same transaction"
        }
    }
}
