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

    /// Judges a claimed record with one generation of rules (never a half-loaded set: a
    /// generation is immutable once compiled) and the trip store.
    /// - Parameter storeTrouble: called when the trip store fails; the record's alerts are
    ///   still sent, with a REVIEW saying no verdict was made.
    init(_ claimed: ClaimedRecord, station: StationCheck, storeTrouble: (String) -> Void) {
        switch claimed.content {
        case .unacceptable(let reason):
            self = .refused(reason: DaemonText.spoolRefusal(reason, station.rules.config.language))
        case .bytes(let bytes):
            switch RecordDecoder.decode(bytes, fileName: claimed.name) {
            case .failure(let error): self = .refused(reason: DaemonText.reason(error, station.rules.config.language))
            case .success(let record):
                do {
                    let result = try station.check(record, bytes: bytes)
                    self = .accepted(record, result.alerts, decisions: result.decisions, repeated: result.outcome == .repeated)
                } catch {
                    storeTrouble("\(claimed.name): the trip store failed: \(error)")
                    var alerts = station.rules.evaluate(record)
                    alerts.append(station.rules.storeFailedAlert(record, error: "\(error)"))
                    self = .accepted(record, alerts, decisions: [], repeated: false)
                }
            }
        }
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
    /// The `record-checked` event, for an accepted record (nil when the journal holds it).
    private let checked: [JournalField]?
    /// The verdict entries of the trip decisions this record caused.
    private let verdicts: [[JournalField]]

    /// - Parameters:
    ///   - alreadyStored: rule ids whose alerts for this record the journal already holds
    ///     (found on recovery); their alerts are not sent again.
    ///   - context: what the daemon's own events carry (spool, station, rules version).
    ///   - verdicts: the decisions to journal (the caller leaves out those already journaled).
    ///   - eventStored: journald already holds this refused record's record-quarantined event
    ///     (its settle failed and is being retried): it is not sent again.
    init(_ claimed: ClaimedRecord, judgement: Judgement, alreadyStored: Set<String> = [], verdicts decisions: [TripDecision] = [],
         day: String, context: EventContext, eventStored: Bool = false) {
        self.claimed = claimed
        switch judgement {
        case .accepted(let record, let alerts, _, _):
            verdict = .done(date: day)
            self.alerts = alreadyStored.isEmpty ? alerts : alerts.filter { !alreadyStored.contains($0.journalRule) }
            event = nil
            checked = alreadyStored.contains(StoredAlerts.recordCheckedKey) ? nil
                : RecordChecked.fields(record, alerts: alerts, context: context, language: context.language)
            verdicts = decisions.map { d in
                d.journalFields(station: context.station, cause: (record.id, record.sha256), rulesVersion: context.rulesVersion ?? "")
                    .map { JournalField($0.name, $0.value) }
            }
        case .refused(let reason):
            // The reason file is text a person reads (cat, less): cleaned like the journal's copy.
            verdict = .quarantine(reason: JournalText.clean(reason))
            alerts = []
            checked = nil
            verdicts = []
            event = eventStored ? nil : DaemonEvent.recordQuarantined.fields(
                message: DaemonText.recordQuarantined(context.language, name: claimed.name, reason: reason),
                spool: context.spool, station: context.station, rulesVersion: context.rulesVersion,
                extra: [("SG_SPOOL_FILE", claimed.name), ("SG_REASON", reason)])
        }
    }

    /// How many journal entries `entries()` makes.
    var entryCount: Int { event != nil ? 1 : alerts.count }

    /// Whether any entry must be stored before the record is settled.
    var hasEntries: Bool { event != nil || !alerts.isEmpty || checked != nil || !verdicts.isEmpty }

    /// The journal entries that must be stored before it is settled: one per alert, the
    /// `record-checked` event and one per verdict, or the `record-quarantined` event.
    func entries() -> [[JournalField]] {
        if let event { return [event] }
        var out = alerts.map { alert in alert.journalFields.map { JournalField($0.name, $0.value) } }
        if let checked { out.append(checked) }
        return out + verdicts
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
