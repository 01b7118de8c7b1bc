// StationCheck: one accepted record through the rules and the trip store, the same way for
// the daemon and for `stationguard check`, so the two cannot disagree.
//
//   Rules.evaluate(record) + REC-001 (another station) → TripStore.ingest → decisions
//   (REC-002 when the id was stored before with other bytes)
import Foundation
import Records
import Rules

public struct StationCheck {
    public let rules: RuleGeneration
    public let store: TripStore

    public init(rules: RuleGeneration, store: TripStore) {
        self.rules = rules
        self.store = store
    }

    /// What one record gives.
    public struct Result: Sendable {
        /// The record's alerts: its rules', REC-001 and REC-002.
        public var alerts: [Alert]
        /// The trip decisions it caused; for a repeated record, those stored the first time
        /// (crash recovery sends the ones the journal lacks).
        public var decisions: [TripDecision]
        public var outcome: TripStore.Outcome
    }

    /// - Parameter bytes: the file's bytes, kept by the store for later joins.
    public func check(_ record: Records.Record, bytes: [UInt8]) throws -> Result {
        var alerts = rules.evaluate(record)
        if let other = rules.otherStationAlert(record) { alerts.append(other) }
        let ingested = try store.ingest(record, bytes: bytes, alerts: alerts, rules: rules)
        if case .conflict(let sha, let file) = ingested.outcome {
            alerts.append(rules.resentAlert(record, storedSHA256: sha, storedFile: file))
        }
        return Result(alerts: alerts, decisions: ingested.decisions, outcome: ingested.outcome)
    }
}
