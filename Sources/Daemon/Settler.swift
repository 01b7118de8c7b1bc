// Settler: files records in done/ or quarantine/ once journald holds their entries.
//
// The journal writer reports each record's batch here (on its thread); the settler takes every
// report that has arrived, asks journald once to store all it has received
// (Journal.synchronize, as `journalctl --sync`), and only then settles the records. So a record
// in done/ has its alerts stored, not merely sent, even if journald is stopped a moment later
// and drops its socket queue. One synchronize serves a whole group, so its cost is shared.
//
// No fsync per record on this hot path: records are settled with deferred durability and the
// spool's folders are fsynced (Spool.sync) when the settler runs out of reports, or at least
// once a second during a burst, when groups follow each other without a pause (a directory
// fsync per group cost ~11% of the daemon's CPU in a 10,000-record burst). A record whose settling is lost in a
// crash reappears in cur/, and recovery looks its alerts up in the journal and sends only the
// missing ones, so re-processing is safe.
import Foundation
import Glibc
import Spool
import Systemd

final class Settler: @unchecked Sendable {
    private let spool: Spool
    private let journal: Journal
    private let state: DaemonState
    private let condition = NSCondition()
    private var reports: [(Dispatch, JournalWriter.Report)] = []
    /// Whether journald lets us synchronize (its varlink socket is root's only). Without it,
    /// "handed over" is all the daemon can know, and it settles on that.
    private var synchronizes = true
    /// When `Spool.sync` last ran (monotonic seconds); a burst syncs at least this often.
    private var lastSync = 0.0
    static let syncInterval = 1.0
    /// When journald was last asked to synchronize (monotonic seconds), and the least time
    /// between two requests. Each request makes journald fsync its files (~2 ms of its CPU):
    /// 20 ms apart, that was ~11 µs of journald's CPU per record in a burst (measured); 50 ms
    /// apart cuts it to under half, and a file waits at most 50 ms longer before it moves to
    /// done/ (its entries are in the journal already).
    private var lastSynchronize = 0.0
    static let synchronizeSpacing = 0.05

    init(spool: Spool, journal: Journal, state: DaemonState) {
        self.spool = spool
        self.journal = journal
        self.state = state
        let thread = Thread { [self] in run() }
        thread.name = "settler"
        thread.start()
    }

    /// Called by the journal writer's completion, on its thread.
    func deliver(_ dispatch: Dispatch, _ report: JournalWriter.Report) {
        condition.lock()
        reports.append((dispatch, report))
        // The settler waits for a first report, then lets the next ones gather (up to 20 ms):
        // waking it for each of those would cost a context switch per record in a burst.
        if reports.count == 1 { condition.signal() }
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while reports.isEmpty { condition.wait() }
            // In a burst, the reports of the next 20 ms join this group: each synchronize makes
            // journald write its files out (~2 ms of its CPU, taken from the daemon's two cores
            // in a burst), and a record waits in cur/ at most that much longer (its entries are
            // sent already).
            if synchronizes, case let due = lastSynchronize + Settler.synchronizeSpacing, DaemonState.monotonicNow() < due {
                let until = Date(timeIntervalSinceNow: due - DaemonState.monotonicNow())
                while DaemonState.monotonicNow() < due, condition.wait(until: until) {}
            }
            let group = reports
            reports.removeAll(keepingCapacity: true)
            condition.unlock()
            settle(group)
        }
    }

    /// Makes the deferred settles so far durable when no report waits (the burst is over) or a
    /// second has passed since the last sync; a failure leaves them for the next call. Runs
    /// before `state.finished`, so a stop that waited for the records in flight finds them synced.
    private func syncIfDue() {
        condition.lock()
        let idle = reports.isEmpty
        condition.unlock()
        guard idle || DaemonState.monotonicNow() - lastSync >= Settler.syncInterval else { return }
        lastSync = DaemonState.monotonicNow()
        do {
            try spool.sync()
        } catch {
            DaemonLog.warning("\(error); the settled records' moves are made durable at the next sync")
        }
    }

    private func settle(_ group: [(Dispatch, JournalWriter.Report)]) {
        if let failed = group.first(where: { !$0.1.isComplete }) {
            let reason = failed.1.error.map { "\($0)" } ?? "journald did not take every entry"
            leave(group, because: reason)
            return
        }
        if case .down = state.journal {
            // An earlier group failed: these may have reached a journald that is gone. Recovery
            // looks them up when journald is back.
            state.finished(group.count, settled: 0, quarantined: 0)
            return
        }
        if synchronizes && group.contains(where: { $0.0.hasEntries }) {
            do {
                try journal.synchronize(timeout: .seconds(10))
                lastSynchronize = DaemonState.monotonicNow()
            } catch let error where error == .failed(function: "connect", errno: .permissionDenied)
                || error == .failed(function: "connect", errno: Errno(rawValue: EPERM)) {
                synchronizes = false
                DaemonLog.warning("\(Journal.varlinkPath): \(error): cannot ask journald to store entries (not root); records are settled once handed over")
            } catch {
                leave(group, because: "\(error)")
                return
            }
        }
        var settled = 0, quarantined = 0
        for (dispatch, _) in group {
            let name = dispatch.claimed.name
            if case .quarantine = dispatch.verdict, dispatch.hasEntries { state.quarantineEventStored(name) }
            do {
                let target = try spool.settle(dispatch.claimed, verdict: dispatch.verdict, durability: .deferred)
                settled += 1
                state.settleSucceeded()
                if case .quarantine = dispatch.verdict {
                    quarantined += 1
                    state.quarantineSettled(name)
                    watchIfRead(dispatch, at: target)
                }
            } catch {
                // The record stays in cur/; the next recovery pass (with backoff) takes it up
                // again. One spool-trouble event per cause, not one per record and try.
                let cause = Settler.cause(of: error)
                if state.settleFailed(cause: cause, message: "cannot settle records: \(cause) (first: \(name)); they stay in cur/ and are retried with backoff") {
                    DaemonLog.warning("\(name): cannot settle: \(error); it stays in cur/")
                }
            }
        }
        syncIfDue()
        state.finished(group.count, settled: settled, quarantined: quarantined)
    }

    /// What failed, without the record's name: the same cause for every record is one trouble.
    static func cause(of error: Error) -> String {
        guard let spoolError = error as? SpoolError else { return "\(error)" }
        switch spoolError.reason {
        case .system(let call, let number):
            return "\(call): \(String(cString: strerror(number)))"
        default:
            let text = "\(spoolError)"
            return text.hasPrefix(spoolError.path + ": ") ? String(text.dropFirst(spoolError.path.count + 2)) : text
        }
    }

    /// A record quarantined after its bytes were read may have been caught while its writer
    /// paused (written in place in new/); it is looked at again for a while (IntakeLoop).
    private func watchIfRead(_ dispatch: Dispatch, at target: String) {
        guard case .bytes(let bytes) = dispatch.claimed.content else { return }
        let name = (target as NSString).lastPathComponent
        // The size that was judged, not the size now: a writer that finished between the claim
        // and this moment has grown the file already.
        guard let now = spool.snapshotQuarantined(name) else { return }
        let snapshot = Spool.Snapshot(size: bytes.count, modified: now.modified)
        state.watch(WatchedQuarantine(name: name, original: dispatch.claimed.name, snapshot: snapshot,
                                      until: DaemonState.monotonicNow() + WatchedQuarantine.lifetime))
    }

    /// journald failed: every record of the group stays in cur/ until it is back.
    private func leave(_ group: [(Dispatch, JournalWriter.Report)], because reason: String) {
        if state.journalDown(reason) {
            DaemonLog.warning("journald unavailable (\(reason)); records wait in cur/ and new/, retrying with backoff")
        }
        state.finished(group.count, settled: 0, quarantined: 0)
    }
}
