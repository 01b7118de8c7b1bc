// CatchUp: a backlog reaches journald below a set rate, and afterwards the daemon checks that
// the journal holds every alert it sent, sending again what is missing.
//
// journald drops a service's entries beyond its rate limit without telling the sender, and a
// daemon that is not root cannot ask journald to store (Journal.synchronize is root's only), so
// "settled" means "handed over". Two defences, besides the unit's own limits:
//   pacing: at most `catch_up_alerts_per_second` (station config) entries per second, from a
//     bucket holding one second's worth, so ordinary traffic never waits;
//   confirmation: once a busy spell that sent at least `threshold` alerts ends (one second
//     without a new record), or every `window` records during a long one, the alerts are looked
//     up in the journal (StoredAlerts: SG_RECORD_ID + SG_RECORD_SHA256 + SG_RULE, this user's
//     entries only) after a barrier; missing ones raise SG_EVENT=alerts-missing and are sent
//     again at half the pace after a pause (1, 2, 4, 8 s), up to `rounds` look-ups. Meanwhile
//     the intake waits: that happens only when journald is dropping alerts.
// Runs on the intake loop's thread; the loop calls `pace`, `note` and `idle`.
import Foundation
import Records
import Rules
import Systemd

final class CatchUp {
    /// Alerts a busy spell must have sent to be confirmed (a few records need no look-up).
    static let threshold = 1000
    /// Records held for confirmation at most; a longer spell is confirmed in pieces.
    static let window = 5000
    /// Look-ups and re-sends after one spell, at most.
    static let rounds = 6

    private let state: DaemonState
    private let journal: Journal
    private let writer: JournalWriter
    private let announce: (DaemonEvent, String, [(String, String)]) -> Void

    /// Tokens (entries) in the bucket, and when it was last filled (monotonic seconds).
    private var tokens = 0.0
    private var filled = DaemonState.monotonicNow()
    /// 1 normally; doubled for each confirmation round that found alerts missing.
    private var slowdown = 1.0
    /// Each record's alerts sent in this spell (only records with alerts).
    private var sent: [[Alert]] = []
    private var sentAlerts = 0
    /// Set when a confirmation could not read the journal (said once): the barrier would stall
    /// every later one as long, so confirming stops for this process.
    private var unreadable = false

    init(state: DaemonState, journal: Journal, writer: JournalWriter,
         announce: @escaping (DaemonEvent, String, [(String, String)]) -> Void) {
        self.state = state
        self.journal = journal
        self.writer = writer
        self.announce = announce
    }

    /// Waits until `entries` more entries fit under `rate` per second (divided by the slowdown
    /// while alerts go missing). Keeps the heartbeat; a stop request ends the wait.
    func pace(_ entries: Int, rate: Int) {
        let perSecond = max(1, Double(rate) / slowdown)
        while true {
            let now = DaemonState.monotonicNow()
            tokens = min(perSecond, tokens + (now - filled) * perSecond)
            filled = now
            // A batch larger than the bucket goes out once the bucket is full.
            if tokens >= Double(entries) || tokens >= perSecond {
                tokens -= Double(entries)
                return
            }
            if state.stopRequested { return }
            state.beat()
            Thread.sleep(forTimeInterval: min(0.1, (Double(entries) - tokens) / perSecond))
        }
    }

    /// Remembers a record's alerts as sent; confirms the spell so far when the window is full.
    func note(_ alerts: [Alert], config: StationConfig) {
        guard !alerts.isEmpty, !unreadable else { return }
        sent.append(alerts)
        sentAlerts += alerts.count
        if sent.count >= CatchUp.window { confirm(config: config) }
    }

    /// The intake found nothing new for a while: a spell that sent enough is confirmed, a small
    /// one forgotten.
    func idle(config: StationConfig) {
        if sentAlerts >= CatchUp.threshold {
            confirm(config: config)
        } else if !sent.isEmpty {
            sent.removeAll()
            sentAlerts = 0
            slowdown = 1
        }
    }

    /// Looks every noted alert up in the journal; sends the missing ones again, paced slower,
    /// until all are stored or `rounds` is used up.
    private func confirm(config: StationConfig) {
        let rate = config.catchUpAlertsPerSecond
        var records = sent
        let total = sentAlerts
        sent.removeAll()
        sentAlerts = 0
        for round in 1...CatchUp.rounds {
            if round > 1 {
                // journald's window must pass before what it refused is taken: 1, 2, 4, 8, 16 s.
                let until = DaemonState.monotonicNow() + min(16, pow(2, Double(round - 2)))
                while DaemonState.monotonicNow() < until && !state.stopRequested {
                    state.beat()
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
            // Settled means handed over; journald may still be reading its socket.
            guard state.waitUntilSettled(timeout: 30), writer.waitUntilIdle(timeout: .seconds(30)) else { return }
            if case .down = state.journal { return }  // recovery looks cur/ up when journald is back
            let missing: [[Alert]]
            let began = DaemonState.monotonicNow()
            do {
                missing = try lookUp(records)
            } catch let error as JournalBarrier.BarrierTimeout where error.readable {
                // journald kept dropping the marker itself for over a minute: this spell stays
                // unconfirmed (said here); later spells are confirmed as usual.
                DaemonLog.warning("cannot check that a catch-up's alerts are in the journal (\(error)); journald may be dropping this service's entries")
                return
            } catch {
                unreadable = true
                DaemonLog.warning("cannot check that a catch-up's alerts are in the journal (\(error)); the journal may be unreadable for this user (group systemd-journal?); no more checks until a restart")
                return
            }
            let count = missing.reduce(0) { $0 + $1.count }
            if count == 0 {
                let seconds = String(format: "%.2f", DaemonState.monotonicNow() - began)
                DaemonLog.notice(round > 1 ? "catch-up confirmed: every alert is in the journal now (\(total) alerts; last look-up \(seconds) s)"
                    : "catch-up confirmed: all \(total) alerts of \(records.count) records are in the journal (looked up in \(seconds) s)")
                slowdown = 1
                return
            }
            slowdown *= 2
            let final = round == CatchUp.rounds
            let message = DaemonText.alertsMissing(config.language, missing: count, sent: total, attempts: round,
                                                   final: final, resendRate: max(1, Int(Double(rate) / slowdown)))
            DaemonLog.event(4, message)
            announce(.alertsMissing, message, [("SG_ALERTS_MISSING", String(count)), ("SG_RECORDS_AFFECTED", String(missing.count))])
            if final { return }
            for alerts in missing {
                if state.stopRequested { return }
                pace(alerts.count, rate: rate)
                let entries = alerts.map { alert in alert.journalFields.map { JournalField($0.name, $0.value) } }
                while true {
                    do {
                        try writer.submit(entries) { _ in }
                        break
                    } catch JournalWriter.Refusal.full {
                        state.beat()
                        _ = writer.waitUntilIdle(timeout: .milliseconds(200))
                    } catch {
                        return  // closed: shutting down
                    }
                }
            }
            records = missing
        }
    }

    /// The alerts of `records` the journal does not hold, per record.
    private func lookUp(_ records: [[Alert]]) throws -> [[Alert]] {
        // Everything sent before is stored once this returns (or the marker is readable).
        do {
            try journal.synchronize(timeout: .seconds(10))
        } catch {
            try JournalBarrier.pass(journal, beat: state.beat)  // not root: a marker entry does the same
        }
        let stored = try StoredAlerts()
        var missing: [[Alert]] = []
        for alerts in records {
            state.beat()
            let have = try stored.rules(recordID: alerts[0].recordID, sha256: alerts[0].recordSHA256)
            let lacking = alerts.filter { !have.contains($0.journalRule) }
            if !lacking.isEmpty { missing.append(lacking) }
        }
        return missing
    }
}
