// DaemonState: what the daemon's threads share (counters, journal state, requests), under one lock.
import Foundation
import Rules
import Spool

/// Whether alerts can reach journald.
enum JournalState: Equatable {
    case up
    /// journald refused or vanished; records wait in cur/ and new/ until it is back.
    case down(since: Date, reason: String)
}

/// The state the intake loop, the settler, the rule watcher, the signal waiter and the watchdog
/// share. Every access takes the lock; nothing here blocks for long.
final class DaemonState: @unchecked Sendable {
    private let condition = NSCondition()

    private var _stopRequested = false
    private var _reloadRequested = false
    private var _journal = JournalState.up
    private var _pendingGeneration: RuleGeneration?
    private var _rulesVersion: String
    private var _station: String?
    private var _language = MessageLanguage.zh
    private var _processed = 0
    private var _quarantined = 0
    private var _waiting = 0
    private var _inFlight = 0
    private var _unfinishedLeft = false
    private var _heartbeat = DaemonState.monotonicNow()
    private var _troubleCauses = Set<String>()
    private var _newTroubles: [String] = []
    private var _quarantineStored = Set<String>()
    private var _watched: [WatchedQuarantine] = []

    init(rulesVersion: String) { _rulesVersion = rulesVersion }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    // MARK: - Requests (from signals)

    var stopRequested: Bool { locked { _stopRequested } }
    func requestStop() { locked { _stopRequested = true; condition.broadcast() } }

    /// Returns and clears a pending SIGHUP.
    func takeReloadRequest() -> Bool { locked { defer { _reloadRequested = false }; return _reloadRequested } }
    func requestReload() { locked { _reloadRequested = true } }

    // MARK: - Rules

    /// Hands a freshly compiled generation to the intake loop, which swaps it in between records.
    func offer(_ generation: RuleGeneration) { locked { _pendingGeneration = generation } }
    func takePendingGeneration() -> RuleGeneration? {
        locked { defer { _pendingGeneration = nil }; return _pendingGeneration }
    }
    var rulesVersion: String {
        get { locked { _rulesVersion } }
        set { locked { _rulesVersion = newValue } }
    }
    /// The station code of the rules in force (set by the intake thread when it swaps them in).
    var station: String? {
        get { locked { _station } }
        set { locked { _station = newValue } }
    }
    /// The language of the rules in force's config (set with `station`).
    var language: MessageLanguage {
        get { locked { _language } }
        set { locked { _language = newValue } }
    }
    /// Station code, rules version and language, read together under the lock, for an event.
    var eventSnapshot: (station: String?, rulesVersion: String, language: MessageLanguage) {
        locked { (_station, _rulesVersion, _language) }
    }

    // MARK: - Journal

    var journal: JournalState { locked { _journal } }
    /// Marks journald down; returns true if it was up (the first report of an outage).
    @discardableResult
    func journalDown(_ reason: String) -> Bool {
        locked {
            if case .down = _journal { return false }
            _journal = .down(since: Date(), reason: reason)
            return true
        }
    }
    func journalUp() { locked { _journal = .up } }
    /// A recovery after an outage failed: the outage goes on from its first failure, so that
    /// journal-unavailable reports its whole length.
    func outageContinues(_ outage: JournalState) {
        locked {
            if case .down = _journal, case .down = outage { _journal = outage }
        }
    }

    // MARK: - Records

    var waiting: Int {
        get { locked { _waiting } }
        set { locked { _waiting = newValue } }
    }
    var processed: (all: Int, quarantined: Int) { locked { (_processed, _quarantined) } }
    var inFlight: Int { locked { _inFlight } }

    /// A record was claimed and handed to the journal writer.
    func claimed() { locked { _inFlight += 1 } }

    /// The settler finished with `count` records, `settled` of them filed (`quarantined` in
    /// quarantine/); the rest stay in cur/.
    func finished(_ count: Int, settled: Int, quarantined: Int) {
        locked {
            _inFlight -= count
            _processed += settled
            _quarantined += quarantined
            if settled < count { _unfinishedLeft = true }
            condition.broadcast()
        }
    }

    /// Whether records were left in cur/ since the last recovery pass (journal or spool trouble).
    func takeUnfinishedLeft() -> Bool { locked { defer { _unfinishedLeft = false }; return _unfinishedLeft } }
    func markUnfinishedLeft() { locked { _unfinishedLeft = true } }
    /// Whether records were left in cur/, without clearing it.
    func peekUnfinishedLeft() -> Bool { locked { _unfinishedLeft } }

    /// Waits until no record is in flight, or `timeout` seconds pass; true when none is.
    /// The intake loop calls it, so it keeps the heartbeat going: waiting on a slow journald is
    /// not a hung daemon.
    func waitUntilSettled(timeout: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while _inFlight > 0 && Date() < deadline {
            _ = condition.wait(until: min(deadline, Date(timeIntervalSinceNow: 1)))
            _heartbeat = DaemonState.monotonicNow()
        }
        return _inFlight == 0
    }

    /// Waits until fewer than `limit` records are in flight, or `timeout` seconds pass.
    func waitForRoom(below limit: Int, timeout: Double) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while _inFlight >= limit && !_stopRequested {
            if !condition.wait(until: deadline) { return }
        }
    }

    // MARK: - Records that cannot be settled

    /// A settle failed for `cause` (the failing call and error, without the record's name);
    /// `message` is queued for one spool-trouble event if this cause is new since the last
    /// successful settle. Returns true when it is new.
    @discardableResult
    func settleFailed(cause: String, message: String) -> Bool {
        locked {
            guard _troubleCauses.insert(cause).inserted else { return false }
            _newTroubles.append(message)
            return true
        }
    }
    /// A settle succeeded: every cause may be reported again when it comes back.
    func settleSucceeded() { locked { if !_troubleCauses.isEmpty { _troubleCauses.removeAll() } } }
    /// The spool-trouble messages not yet announced (the intake thread announces them).
    func takeNewTroubles() -> [String] { locked { defer { _newTroubles.removeAll() }; return _newTroubles } }

    /// The names of refused records whose record-quarantined event journald holds while the
    /// record itself is still in cur/ (its settle failed): a retry must not send it again.
    func quarantineEventStored(_ name: String) { locked { _ = _quarantineStored.insert(name) } }
    func quarantineSettled(_ name: String) { locked { _ = _quarantineStored.remove(name) } }
    func isQuarantineEventStored(_ name: String) -> Bool { locked { _quarantineStored.contains(name) } }

    // MARK: - Quarantined records whose writer may still be writing

    /// Notes a record just quarantined after it was read (its writer may have paused, not
    /// finished); kept at most `WatchedQuarantine.lifetime` seconds and 1,000 entries.
    func watch(_ entry: WatchedQuarantine) {
        locked {
            if _watched.count >= 1_000 { _watched.removeFirst() }
            _watched.append(entry)
        }
    }
    func takeWatched() -> [WatchedQuarantine] { locked { defer { _watched.removeAll() }; return _watched } }

    // MARK: - Liveness

    /// The intake loop calls this on every turn; the watchdog pings only while it is recent.
    func beat() { locked { _heartbeat = DaemonState.monotonicNow() } }
    var secondsSinceBeat: Double { locked { DaemonState.monotonicNow() - _heartbeat } }

    static func monotonicNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// A quarantined record that is looked at again for a while: if it grows, its writer was not
/// done, and it goes back to new/.
struct WatchedQuarantine: Sendable {
    /// Its name in quarantine/ and the name it had in new/.
    let name: String
    let original: String
    let snapshot: Spool.Snapshot
    let until: Double
    static let lifetime = 600.0
}
