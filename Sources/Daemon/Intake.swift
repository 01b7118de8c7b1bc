// Intake: the data path for one record, in one screen.
//
//   Spool.claim (new/ → cur/) → RecordDecoder.decode → StationCheck (RuleGeneration.evaluate,
//     TripStore.ingest: the trips it decides) → JournalWriter (one entry per alert, one
//     record-checked, one per verdict) → Settler: Journal.synchronize, then Spool.settle
//
// Nothing here decides how a record is parsed or judged; each module does its own stage.
import Foundation
import Records
import Rules
import Spool
import Systemd
import Trips

/// What the daemon makes of one claimed record, before anything is written.
enum Judgement {
    /// Accepted by Records; `alerts` are what the rules in force say about it, `decisions` the
    /// trip verdicts it caused (for a record stored before, those it caused then).
    case accepted(Record, [Alert], decisions: [TripDecision], repeated: Bool)
    /// Not acceptable (unreadable, not JSON, schema violation): the reason in plain words.
    case refused(reason: String)

    /// Judges claimed records in their order with one generation of rules and the trip store
    /// (the two halves of `JudgedGroup` at once).
    static func judge(_ group: [ClaimedRecord], station: StationCheck, storeTrouble: (String) -> Void) -> [Judgement] {
        JudgedGroup(group, station: station).judgements(storeTrouble: storeTrouble)
    }
}

/// Claimed records judged in their order with one generation of rules (never a half-loaded
/// set: a generation is immutable once compiled): decoded and through the rules at once, then
/// handed to the trip store, which takes the accepted ones in one transaction on its own
/// thread; `judgements` waits for it. Meanwhile the intake judges the next group.
struct JudgedGroup {
    let claimed: [ClaimedRecord]
    let station: StationCheck
    /// Refusals; nil where the record was accepted and waits for the store.
    private var decided: [Judgement?] = []
    private var accepted: [Int] = []
    private var arrivals: [TripStore.Arrival] = []
    private var stored: TripStore.PendingIngest?

    init(_ claimed: [ClaimedRecord], station: StationCheck) {
        self.claimed = claimed
        self.station = station
        let language = station.rules.config.language
        var records: [(record: Record, bytes: [UInt8])] = []
        for c in claimed {
            switch c.content {
            case .unacceptable(let reason):
                decided.append(.refused(reason: DaemonText.spoolRefusal(reason, language)))
            case .bytes(let bytes):
                switch RecordDecoder.decode(bytes, fileName: c.name) {
                case .failure(let error): decided.append(.refused(reason: DaemonText.reason(error, language)))
                case .success(let record):
                    accepted.append(decided.count)
                    decided.append(nil)
                    records.append((record, bytes))
                }
            }
        }
        guard !records.isEmpty else { return }
        arrivals = station.arrivals(records)
        stored = station.store.ingestAhead(arrivals, rules: station.rules)
    }

    /// Waits for the store, then each record's judgement, in order.
    /// - Parameter storeTrouble: called when the trip store fails; the record's alerts are
    ///   still sent, with a REVIEW saying no verdict was made.
    func judgements(storeTrouble: (String) -> Void) -> [Judgement] {
        var out = decided
        guard let stored else { return out.map { $0! } }
        for (n, checked) in station.results(arrivals, stored.wait()).enumerated() {
            let index = accepted[n], record = arrivals[n].record
            switch checked {
            case .success(let result):
                out[index] = .accepted(record, result.alerts, decisions: result.decisions, repeated: result.outcome == .repeated)
            case .failure(let failure):
                storeTrouble("\(claimed[index].name): the trip store failed: \(failure.error)")
                out[index] = .accepted(record, failure.alerts + [station.rules.storeFailedAlert(record, error: "\(failure.error)")],
                                       decisions: [], repeated: false)
            }
        }
        return out.map { $0! }
    }
}

/// A claimed record on its way to journald and then to done/ or quarantine/.
struct Dispatch: Sendable {
    let claimed: ClaimedRecord
    /// Where the settler files it once `entries` are in the journal.
    let verdict: Verdict
    /// The alerts to send (only those not stored yet, after a crash); their journal entries are
    /// built by `entries()` on the journal writer's thread, off the intake's critical path.
    let alerts: [Alert]
    /// The `record-quarantined` event, for a refused record.
    private let event: [JournalField]?
    /// The accepted record with all its alerts, for its `record-checked` event and the verdicts'
    /// cause (nil when refused).
    private let accepted: (record: Record, alerts: [Alert])?
    /// Whether `record-checked` is to be sent (not when the journal holds it already).
    private let sendsChecked: Bool
    /// The trip decisions this record caused, to journal as verdicts.
    private let verdicts: [TripDecision]
    private let context: EventContext

    /// - Parameters:
    ///   - alreadyStored: rule ids whose alerts for this record the journal already holds
    ///     (found on recovery); their alerts are not sent again.
    ///   - context: what the daemon's own events carry (spool, station, rules version).
    ///   - verdicts: the decisions to journal (the caller leaves out those already journaled).
    ///   - eventStored: journald already holds this refused record's record-quarantined event
    ///     (its settle failed and is being retried, or recovery found it by its SG_CLAIM): it
    ///     is not sent again.
    init(_ claimed: ClaimedRecord, judgement: Judgement, alreadyStored: Set<String> = [], verdicts decisions: [TripDecision] = [],
         day: String, context: EventContext, eventStored: Bool = false) {
        self.claimed = claimed
        self.context = context
        switch judgement {
        case .accepted(let record, let alerts, _, _):
            verdict = .done(date: day)
            self.alerts = alreadyStored.isEmpty ? alerts : alerts.filter { !alreadyStored.contains($0.journalRule) }
            event = nil
            accepted = (record, alerts)
            sendsChecked = !alreadyStored.contains(StoredAlerts.recordCheckedKey)
            verdicts = decisions
        case .refused(let reason):
            // The reason file is text a person reads (cat, less): cleaned like the journal's copy.
            verdict = .quarantine(reason: JournalText.clean(reason))
            alerts = []
            accepted = nil
            sendsChecked = false
            verdicts = []
            event = eventStored ? nil : DaemonEvent.recordQuarantined.fields(
                message: DaemonText.recordQuarantined(context.language, name: claimed.name, reason: reason),
                spool: context.spool, station: context.station, rulesVersion: context.rulesVersion,
                extra: [("SG_SPOOL_FILE", claimed.name), ("SG_REASON", reason), ("SG_CLAIM", claimed.mark)])
        }
    }

    /// How many journal entries `entries()` makes.
    var entryCount: Int { event != nil ? 1 : alerts.count }

    /// Whether any entry must be stored before the record is settled.
    var hasEntries: Bool { event != nil || !alerts.isEmpty || sendsChecked || !verdicts.isEmpty }

    /// The journal entries that must be stored before it is settled: one per alert, the
    /// `record-checked` event and one per verdict, or the `record-quarantined` event. Built
    /// on the journal writer's thread, off the intake's critical path.
    func entries() -> [[JournalField]] {
        if let event { return [event] }
        var out = alerts.map { alert in alert.journalFields.map { JournalField($0.name, $0.value) } }
        if let accepted {
            if sendsChecked {
                out.append(RecordChecked.fields(accepted.record, alerts: accepted.alerts, context: context, language: context.language))
            }
            for d in verdicts {
                out.append(d.journalFields(station: context.station, cause: (accepted.record.id, accepted.record.sha256),
                                           rulesVersion: context.rulesVersion ?? "").map { JournalField($0.name, $0.value) })
            }
        }
        return out
    }
}

/// What every daemon event carries.
struct EventContext: Sendable {
    var spool: String
    var station: String?
    var rulesVersion: String?
    /// The language of the events' MESSAGE (the station config's `language:`).
    var language: MessageLanguage = .zh
}
