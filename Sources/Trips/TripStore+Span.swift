// How far back the store reaches, so `stationguard status` can say "never inspected since …"
// (the store keeps only the retention window: older inspections may have been pruned).
import GRDB

extension TripStore {
    /// The earliest `recorded_at` of the records the store holds (microseconds since 1970,
    /// UTC), or nil when it holds none.
    public func earliestRecordedAt() throws -> Int64? {
        try reader.read { db in try Int64.fetchOne(db, sql: "SELECT MIN(recorded_at) FROM record") }
    }
}
