// Intake: the data path for one record, in one screen.
//
//   Spool.claim (new/ → cur/) → RecordDecoder.decode → RuleGeneration.evaluate
//     → JournalWriter (one entry per alert) → Settler: Journal.synchronize, then Spool.settle
//
// Nothing here decides how a record is parsed or judged; each module does its own stage.
import Foundation
import Records
import Rules
import Spool
import Systemd

/// What the daemon makes of one claimed record, before anything is written.
enum Judgement {
    /// Accepted by Records; `alerts` are what the rules in force say about it.
    case accepted(Record, [Alert])
    /// Not acceptable (unreadable, not JSON, schema violation): the reason in plain words.
    case refused(reason: String)

    /// Judges a claimed record with one generation of rules (never a half-loaded set: a
    /// generation is immutable once compiled).
    init(_ claimed: ClaimedRecord, rules: RuleGeneration) {
        switch claimed.content {
        case .unacceptable(let reason):
            self = .refused(reason: DaemonText.spoolRefusal(reason, rules.config.language))
        case .bytes(let bytes):
            switch RecordDecoder.decode(bytes, fileName: claimed.name) {
            case .failure(let error): self = .refused(reason: DaemonText.reason(error, rules.config.language))
            case .success(let record): self = .accepted(record, rules.evaluate(record))
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

    /// - Parameters:
    ///   - alreadyStored: rule ids whose alerts for this record the journal already holds
    ///     (found on recovery); their alerts are not sent again.
    ///   - context: what the daemon's own events carry (spool, station, rules version).
    ///   - eventStored: journald already holds this refused record's record-quarantined event
    ///     (its settle failed and is being retried): it is not sent again.
    init(_ claimed: ClaimedRecord, judgement: Judgement, alreadyStored: Set<String> = [], day: String,
         context: EventContext, eventStored: Bool = false) {
        self.claimed = claimed
        switch judgement {
        case .accepted(_, let alerts):
            verdict = .done(date: day)
            self.alerts = alreadyStored.isEmpty ? alerts : alerts.filter { !alreadyStored.contains($0.journalRule) }
            event = nil
        case .refused(let reason):
            // The reason file is text a person reads (cat, less): cleaned like the journal's copy.
            verdict = .quarantine(reason: JournalText.clean(reason))
            alerts = []
            event = eventStored ? nil : DaemonEvent.recordQuarantined.fields(
                message: DaemonText.recordQuarantined(context.language, name: claimed.name, reason: reason),
                spool: context.spool, station: context.station, rulesVersion: context.rulesVersion,
                extra: [("SG_SPOOL_FILE", claimed.name), ("SG_REASON", reason)])
        }
    }

    /// How many journal entries `entries()` makes.
    var entryCount: Int { event != nil ? 1 : alerts.count }

    /// Whether any entry must be stored before the record is settled.
    var hasEntries: Bool { event != nil || !alerts.isEmpty }

    /// The journal entries that must be stored before it is settled: one per alert, or the
    /// `record-quarantined` event.
    func entries() -> [[JournalField]] {
        if let event { return [event] }
        return alerts.map { alert in alert.journalFields.map { JournalField($0.name, $0.value) } }
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
