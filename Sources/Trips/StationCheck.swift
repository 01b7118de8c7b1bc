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

    /// Why the store could not take a record: its alerts stand, no trip was decided.
    public struct StoreFailure: Error, CustomStringConvertible {
        /// The record's alerts as `check` would have given them (REC-001 included).
        public let alerts: [Alert]
        public let error: Error
        public var description: String { "\(error)" }
    }

    /// - Parameter bytes: the file's bytes, kept by the store for later joins.
    public func check(_ record: Records.Record, bytes: [UInt8]) throws -> Result {
        try check([(record, bytes)])[0].get()
    }

    /// Records in stream order, as `check(_:bytes:)` one after the other, stored in one
    /// transaction (the daemon's intake groups a burst so).
    public func check(_ records: [(record: Records.Record, bytes: [UInt8])]) -> [Swift.Result<Result, StoreFailure>] {
        let arrivals = self.arrivals(records)
        return results(arrivals, store.ingest(arrivals, rules: rules))
    }

    /// The first half of `check`: each record's alerts (its rules', REC-001), ready for the store.
    /// Needs nothing of the store, so the daemon works on the next group while the store takes
    /// this one.
    public func arrivals(_ records: [(record: Records.Record, bytes: [UInt8])]) -> [TripStore.Arrival] {
        records.map { record, bytes in
            var (alerts, value) = rules.evaluateKeepingValue(record)
            if let other = rules.otherStationAlert(record) { alerts.append(other) }
            return TripStore.Arrival(record, bytes: bytes, alerts: alerts, rules: rules, value: value)
        }
    }

    /// The second half: what the store made of each arrival (REC-002 for a resent id).
    public func results(_ arrivals: [TripStore.Arrival], _ ingested: [Swift.Result<TripStore.Ingested, Error>]) -> [Swift.Result<Result, StoreFailure>] {
        zip(arrivals, ingested).map { arrival, ingested in
            var alerts = arrival.alerts
            switch ingested {
            case .failure(let error):
                return .failure(StoreFailure(alerts: alerts, error: error))
            case .success(let ingested):
                if case .conflict(let sha, let file) = ingested.outcome {
                    alerts.append(rules.resentAlert(arrival.record, storedSHA256: sha, storedFile: file))
                }
                return .success(Result(alerts: alerts, decisions: ingested.decisions, outcome: ingested.outcome))
            }
        }
    }
}
