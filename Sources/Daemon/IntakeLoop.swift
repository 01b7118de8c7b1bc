// IntakeLoop: the daemon's main thread: hints and rescans in, claimed records out to the
// journal writer; recovery of cur/ at start-up and after a journald outage.
import Foundation
import Records
import Rules
import Spool
import Systemd
import Trips

final class IntakeLoop: @unchecked Sendable {
    private let spool: Spool
    private let watcher: SpoolWatcher
    private let writer: JournalWriter
    private let settler: Settler
    private let journal: Journal
    private let state: DaemonState
    private let notifier: ServiceNotifier
    /// Recent records joined into trips; written on this thread only.
    private let store: TripStore
    /// The rules in force; replaced only between two records, and read and written only on the
    /// intake thread. Other threads (the rule watcher announcing a reload) read the event
    /// context from `state` (a locked snapshot), never this.
    private var rules: RuleGeneration
    /// The language of the daemon's events (the rules in force's config); read after `run()`.
    var language: MessageLanguage { rules.config.language }
    /// Names hinted or scanned in new/, oldest first, each once; taken from `head` on (no O(n)
    /// removal at the front during a burst of thousands).
    private var waiting: [String] = []
    private var head = 0
    private var waitingSet = Set<String>()
    private var lastScan = 0.0
    private var backoff = 0.5
    private var lastPruned = ""
    /// The group the trip store is taking while the next is judged, with the event context
    /// of its rules; sent on by `finishStoring` before the loop waits, recovers or stops.
    private var storing: (group: JudgedGroup, context: EventContext)?
    /// Recovery passes over cur/ after records could not be settled: not before this moment
    /// (monotonic seconds), the delay doubling from 1 s to 60 s while records stay stuck.
    private var nextRecovery = 0.0
    private var recoveryDelay = 1.0
    /// Paces a backlog and confirms its alerts reached the journal (CatchUp.swift).
    private lazy var catchUp = CatchUp(state: state, journal: journal, writer: writer) { [unowned self] event, message, extra in
        self.announce(event, message, extra)
    }

    init(spool: Spool, watcher: SpoolWatcher, writer: JournalWriter, settler: Settler, journal: Journal,
         state: DaemonState, rules: RuleGeneration, notifier: ServiceNotifier, store: TripStore) {
        self.spool = spool
        self.watcher = watcher
        self.writer = writer
        self.settler = settler
        self.journal = journal
        self.state = state
        self.rules = rules
        self.notifier = notifier
        self.store = store
        state.station = rules.config.stationCode
        state.language = rules.config.language
    }

    // MARK: - The loop

    func run() {
        defer { finishStoring() }
        while !state.stopRequested {
            state.beat()
            if case .down = state.journal {
                finishStoring()  // its records wait in cur/ for the recovery
                awaitJournal()
                continue
            }
            for message in state.takeNewTroubles() { trouble(message) }
            if DaemonState.monotonicNow() >= nextRecovery, state.takeUnfinishedLeft() {
                recover()
                // Still stuck (a full disk, done/ unwritable): retry later, not every turn.
                if state.peekUnfinishedLeft() {
                    nextRecovery = DaemonState.monotonicNow() + recoveryDelay
                    recoveryDelay = min(recoveryDelay * 2, 60)
                } else {
                    recoveryDelay = 1
                }
            }
            if DaemonState.monotonicNow() - lastScan >= Daemon.rescanInterval {
                rescan(olderThan: Daemon.settleTime)
                pruneOncePerDay()
            }
            if head < waiting.count {
                if state.inFlight >= Daemon.maximumInFlight {
                    state.waitForRoom(below: Daemon.maximumInFlight, timeout: 0.5)
                    continue
                }
                intakeGroup()
                continue
            }
            if storing != nil {
                finishStoring()  // nothing more waiting: this group's records go now
                continue
            }
            do {
                switch try watcher.wait(timeout: 1) {
                case .names(let names): add(names)
                case .rescan: rescan(olderThan: 0)
                case .timeout: catchUp.idle(config: rules.config)
                case .woken: break
                }
            } catch {
                trouble("\(error)")
                Thread.sleep(forTimeInterval: 1)
            }
        }
    }

    /// Claims the records waiting in new/, up to a group's worth (and the room in flight),
    /// decodes them and puts them through the rules; the trip store then takes them on its own
    /// thread while the next group is judged (a burst's records share one commit, and the
    /// store's work runs beside the rules' on the other core).
    private func intakeGroup() {
        var group: [ClaimedRecord] = []
        while head < waiting.count, group.count < Daemon.intakeGroup,
              state.inFlight + group.count + (storing?.group.claimed.count ?? 0) < Daemon.maximumInFlight {
            let name = waiting[head]
            head += 1
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            }
            waitingSet.remove(name)
            state.waiting = waiting.count - head
            do {
                // nil: taken meanwhile, or its twin is still in cur/
                if let claimed = try spool.claim(name) { group.append(claimed) }
            } catch {
                trouble("\(error)")
            }
        }
        guard !group.isEmpty else {
            // No room beside the group being stored (or every name was taken meanwhile): send
            // that group on, so the loop waits for room on records in flight, never spins.
            finishStoring()
            return
        }
        adoptPendingRules()  // between groups only
        let judged = JudgedGroup(group, station: StationCheck(rules: rules, store: store))
        let context = self.context()
        finishStoring()
        storing = (judged, context)
    }

    /// Sends the group the trip store has been taking on its way, once it is stored.
    private func finishStoring() {
        guard let (group, context) = storing else { return }
        storing = nil
        let judgements = group.judgements { trouble($0) }
        let day = Spool.day(of: Date(), in: group.station.rules.config.timeZone)
        for (claimed, judgement) in zip(group.claimed, judgements) {
            dispatch(claimed, judgement, lookUp: nil, day: day, context: context)
        }
    }

    /// Judges claimed records with the rules in force, in order, and hands each one's entries
    /// to the writer, without a group in between (recovery, names that are not UTF-8).
    /// - Parameter stored: on recovery, the journal look-up; alerts it already holds are not sent.
    private func dispatch(_ group: [ClaimedRecord], lookUp stored: StoredAlerts?) {
        guard !group.isEmpty else { return }
        finishStoring()  // records keep their order
        adoptPendingRules()  // between records only
        let judgements = Judgement.judge(group, station: StationCheck(rules: rules, store: store)) { trouble($0) }
        let day = Spool.day(of: Date(), in: rules.config.timeZone)
        let context = self.context()
        for (claimed, judgement) in zip(group, judgements) {
            dispatch(claimed, judgement, lookUp: stored, day: day, context: context)
        }
    }

    private func dispatch(_ claimed: ClaimedRecord, _ judgement: Judgement, lookUp stored: StoredAlerts?, day: String,
                          context: EventContext) {
        var alreadyStored = Set<String>()
        var verdicts: [TripDecision] = []
        if case .accepted(let record, _, let decisions, let repeated) = judgement {
            // A record stored before (same bytes) outside recovery had its verdicts journaled
            // when first processed; in recovery, only those the journal lacks are sent.
            verdicts = repeated && stored == nil ? [] : decisions
            if let stored {
                do {
                    alreadyStored = try stored.rules(for: record)
                    let journaled = try stored.verdictTrips(causedBy: record)
                    verdicts = verdicts.filter { !journaled.contains(JournalText.clean($0.tripID)) }
                } catch {
                    trouble(DaemonText.lookupFailed(rules.config.language, name: claimed.name, error: "\(error)"))
                }
            }
        }
        var eventStored = state.isQuarantineEventStored(claimed.name)
        if !eventStored, case .refused = judgement, let stored, !claimed.mark.isEmpty {
            // Recovery: the event may have been stored before journald went away or the daemon
            // was killed; this very file (same claim mark) is not announced twice.
            do {
                eventStored = try stored.quarantineEventStored(claim: claimed.mark)
            } catch {
                trouble(DaemonText.lookupFailed(rules.config.language, name: claimed.name, error: "\(error)"))
            }
        }
        let item = Dispatch(claimed, judgement: judgement, alreadyStored: alreadyStored, verdicts: verdicts, day: day,
                            context: context, eventStored: eventStored)
        if case .refused(let reason) = judgement, !eventStored {
            DaemonLog.event(4, "\(claimed.name): quarantined: \(reason)")
        }
        state.claimed()
        catchUp.pace(item.entryCount, rate: rules.config.catchUpAlertsPerSecond)
        let settler = self.settler
        while true {
            do {
                try writer.submit(building: { item.entries() }) { report in settler.deliver(item, report) }
                catchUp.note(item.alerts, config: rules.config)
                return
            } catch JournalWriter.Refusal.full {
                state.beat()
                _ = writer.waitUntilIdle(timeout: .milliseconds(200))
            } catch {
                // Closed: only at shutdown, after this loop ended. The record stays in cur/.
                state.finished(1, settled: 0, quarantined: 0)
                return
            }
        }
    }


    /// Swaps in the generation the rule watcher compiled, if any (intake thread only), and
    /// publishes its station code for the events other threads announce.
    func adoptPendingRules() {
        guard let newer = state.takePendingGeneration() else { return }
        rules = newer
        state.station = newer.config.stationCode
        state.language = newer.config.language
    }

    // MARK: - new/

    func rescan(olderThan age: Double) {
        lastScan = DaemonState.monotonicNow()
        repairSpool()
        do {
            add(try spool.scan(olderThan: age))
        } catch {
            trouble("\(error)")
        }
    }

    /// At every rescan: spool folders deleted by hand are made again (one spool-trouble event
    /// each time), names that are not UTF-8 are claimed for quarantine, and records quarantined
    /// while their writer paused are handed back to new/ once they have grown.
    private func repairSpool() {
        do {
            let made = try spool.recreateMissingFolders()
            if !made.isEmpty {
                trouble("spool folder\(made.count == 1 ? "" : "s") \(made.map { $0 + "/" }.joined(separator: ", ")) missing in \(spool.root); made again")
            }
        } catch {
            troubleOnce("\(error)")
        }
        do {
            dispatch(try spool.claimUndecodableNames(), lookUp: nil)
        } catch {
            troubleOnce("\(error)")
        }
        let now = DaemonState.monotonicNow()
        for entry in state.takeWatched() {
            do {
                if try spool.reclaimIfGrown(entry.name, since: entry.snapshot, as: entry.original) {
                    DaemonLog.notice("\(entry.original): quarantined as \(entry.name) while still being written; it has grown since, so it is back in new/ and processed again")
                    continue
                }
            } catch {
                troubleOnce("\(error)")
            }
            if now < entry.until, spool.snapshotQuarantined(entry.name) != nil { state.watch(entry) }
        }
    }

    /// A spool problem that repeats at every rescan: one event per distinct text until the
    /// next successful settle.
    private func troubleOnce(_ text: String) {
        if state.settleFailed(cause: text, message: text) { /* announced by the loop */ }
    }

    private func add(_ names: [String]) {
        for name in names where waitingSet.insert(name).inserted { waiting.append(name) }
        state.waiting = waiting.count - head
    }

    /// Removes done/ day folders older than the station's retention, once per station day.
    private func pruneOncePerDay() {
        let today = Spool.day(of: Date(), in: rules.config.timeZone)
        guard today != lastPruned else { return }
        lastPruned = today
        do {
            let removed = try spool.prune(olderThan: rules.config.doneRetentionDays, today: today)
            if !removed.isEmpty {
                DaemonLog.notice("removed \(removed.count) day folders from done/ (older than \(rules.config.doneRetentionDays) days)")
            }
        } catch {
            trouble("\(error)")
        }
        do {
            if let first = TripStoreRebuild.firstDay(today: today, keeping: rules.config.tripRetentionDays) {
                let removed = try store.prune(before: first)
                if removed > 0 { DaemonLog.notice("removed \(removed) records of station days before \(first) from the trip store") }
            }
        } catch {
            DaemonLog.warning("\(store.path ?? "trip store"): pruning failed: \(error)")
        }
    }

    // MARK: - cur/ and journald outages

    /// Processes again every record left in cur/, sending only the alerts the journal lacks.
    /// Waits for records in flight first, so nothing in cur/ is being worked on meanwhile.
    func recover() {
        finishStoring()
        guard state.waitUntilSettled(timeout: 30) else {
            state.markUnfinishedLeft()
            return
        }
        _ = state.takeUnfinishedLeft()  // this pass takes up whatever was left; new failures mark again
        let names: [String]
        do {
            names = try spool.unfinished()
        } catch {
            trouble("\(error)")
            return
        }
        guard !names.isEmpty else { return }
        // Let journald store everything sent before (by us or by a daemon that was killed).
        do {
            try journal.synchronize(timeout: .seconds(10))
        } catch let error where error.isUnavailable {
            if state.journalDown("\(error)") {
                DaemonLog.warning("journald unavailable (\(error)); \(names.count) records wait in cur/, retrying with backoff")
            }
            return
        } catch {
            // Not root (journald's varlink socket is root's only): a marker entry does the same.
            do {
                try JournalBarrier.pass(journal, beat: state.beat)
            } catch {
                // Re-sending is the safe side: a duplicate alert, never a lost one.
                DaemonLog.warning("cannot make sure journald stored what was sent (\(error)); the journal may be unreadable for this user (group systemd-journal?), so alerts already sent may be sent again")
            }
        }
        let stored: StoredAlerts
        do {
            stored = try StoredAlerts()
        } catch {
            trouble("cannot read the journal to recover cur/ (\(error)); \(names.count) records wait in cur/")
            state.markUnfinishedLeft()
            return
        }
        DaemonLog.notice("recovering \(names.count) records left in cur/")
        for name in names {
            state.beat()
            do {
                if let claimed = try spool.resume(name) { dispatch([claimed], lookUp: stored) }
            } catch {
                trouble("\(error)")
            }
        }
        _ = state.waitUntilSettled(timeout: 30)
    }

    /// journald is down: wait with backoff, then recover cur/ and rescan new/.
    private func awaitJournal() {
        _ = try? notifier.notify(.status(status()))
        _ = try? watcher.wait(timeout: backoff)  // a stop request wakes it; hints are re-found by the rescan
        if state.stopRequested { return }
        backoff = min(backoff * 2, 8)
        guard state.waitUntilSettled(timeout: 5), journal.isAvailable else { return }
        let outage = state.journal
        state.journalUp()
        recover()
        if case .down = state.journal {  // still not there
            state.outageContinues(outage)
            return
        }
        guard !state.takeUnfinishedLeft() else {
            state.journalDown("records still unsettled after recovery")
            state.outageContinues(outage)
            return
        }
        backoff = 0.5
        // journal-unavailable can only be written now that journald listens again.
        if case .down(let since, let reason) = outage {
            let seconds = Int(-since.timeIntervalSinceNow)
            announce(.journalUnavailable, DaemonText.journalUnavailable(rules.config.language, seconds: seconds, reason: reason),
                     [("SG_REASON", reason)])
        }
        let message = DaemonText.journalRecovered(rules.config.language)
        DaemonLog.event(5, message)
        announce(.journalRecovered, message)
        rescan(olderThan: 0)
    }

    // MARK: - Reporting

    /// Writes a daemon event to the journal (not waited for).
    func announce(_ event: DaemonEvent, _ message: String, _ extra: [(String, String)] = []) {
        var context = self.context()
        if extra.contains(where: { $0.0 == "SG_RULES_VERSION" }) { context.rulesVersion = nil }
        let fields = event.fields(message: message, spool: context.spool, station: context.station,
                                  rulesVersion: context.rulesVersion, extra: extra)
        try? writer.submit([fields]) { _ in }
    }

    /// A spool problem: the daemon's log and a spool-trouble event.
    private func trouble(_ text: String) {
        DaemonLog.event(3, text)
        announce(.spoolTrouble, DaemonText.spoolTrouble(rules.config.language, text))
    }

    /// What events carry, from `state` alone: any thread may call this (the rule watcher does).
    func context() -> EventContext {
        let (station, version, language) = state.eventSnapshot
        return EventContext(spool: spool.root, station: station, rulesVersion: version, language: language)
    }

    /// The STATUS= line: records processed, queue depth, rules generation, journal state.
    func status() -> String {
        let (processed, quarantined) = state.processed
        let journalText: String
        switch state.journal {
        case .up:
            if let since = writer.sendingSince, ContinuousClock.now - since > .seconds(5) {
                journalText = "journal stalled (no answer for \(ContinuousClock.now - since))"
            } else {
                journalText = "journal ok"
            }
        case .down(let since, let reason):
            journalText = "journal unavailable since \(Int(-since.timeIntervalSinceNow)) s (\(reason)); records wait"
        }
        return "\(processed) records processed (\(quarantined) quarantined), \(state.waiting) waiting, \(state.inFlight) in flight; rules \(state.rulesVersion); \(journalText)"
    }
}
