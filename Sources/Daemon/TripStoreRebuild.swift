// TripStoreRebuild: a missing or unusable trip store is rebuilt from the audit archive done/
// of the retention window, so a verdict after a lost store still sees the morning's checks.
import Foundation
import Records
import Rules
import Spool
import Trips

enum TripStoreRebuild {
    /// The first station day the store keeps: `days` days up to and including `today`.
    static func firstDay(today: String, keeping days: Int) -> CalendarDate? {
        guard let t = CalendarDate.parse(today) else { return nil }
        return CalendarDate(daysSinceEpoch: t.daysSinceEpoch - max(1, days) + 1)
    }

    struct Summary { var records = 0, trips = 0, skipped = 0 }

    /// Stores every archived record of the window in recorded order (no decisions: that is
    /// history, not news), then decides each trip once so status and the board have a verdict.
    static func run(store: TripStore, spool: Spool, rules: RuleGeneration, today: String) throws -> Summary {
        var summary = Summary()
        guard let first = firstDay(today: today, keeping: rules.config.tripRetentionDays) else { return summary }
        let (archived, skipped) = try spool.archived(since: first.description)
        summary.skipped = skipped
        var records: [(Record, [UInt8])] = []
        for a in archived {
            switch RecordDecoder.decode(a.bytes, fileName: a.name) {
            case .success(let r): records.append((r, a.bytes))
            case .failure: summary.skipped += 1   // done/ holds accepted records; a changed schema may refuse one now
            }
        }
        records.sort { ($0.0.recordedAt, $0.0.id) < ($1.0.recordedAt, $1.0.id) }
        for (record, bytes) in records {
            var alerts = rules.evaluate(record)
            if let other = rules.otherStationAlert(record) { alerts.append(other) }
            if try store.ingest(record, bytes: bytes, alerts: alerts, rules: rules, decide: false).outcome == .stored {
                summary.records += 1
            }
        }
        summary.trips = try store.decideAll(rules: rules)
        return summary
    }
}
