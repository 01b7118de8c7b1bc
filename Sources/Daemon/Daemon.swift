// NAME
//   Daemon: `stationguard run`, the spool → rules → journal daemon, composed of the modules.
// SUMMARY
//   Claims records from the spool, has Records decode and validate them, has the rules in
//   force evaluate them, writes one journal entry per alert, and settles each record in
//   done/DATE/ (or quarantine/ with its reason) only once journald holds its entries.
// DESCRIPTION
//   Start-up: take the spool lock (a second daemon is refused), load config and rules (a
//   failure exits 1 with file:line:col), journal SG_EVENT=started, recover cur/ (journald
//   synchronized, each record's stored alerts looked up by SG_RECORD_ID + SG_RECORD_SHA256 +
//   SG_RULE, only the missing ones sent: exactly once even if killed between sending and
//   settling), scan new/, READY=1. Then the intake loop: inotify hints (IN_MOVED_TO,
//   IN_CLOSE_WRITE), a full rescan on IN_Q_OVERFLOW and every 5 s as a safety net.
//   Threads, one job each: intake (this file and Intake.swift), the journal writer
//   (Systemd.JournalWriter), the settler (Settler.swift), the rule watcher (RuleWatcher.swift),
//   the watchdog (Watchdog.swift) and the signal waiter (SignalWaiter.swift).
// TRUST
//   Spool names and bytes are kiosk input: the Spool module reads them safely and Records
//   judges them; the daemon never looks at raw JSON. Rule and config files are the
//   administrator's and are checked at load (a bad file never replaces good rules).
// DIAGNOSTICS
//   Daemon events in the journal with SG_EVENT and their own MESSAGE_IDs (DaemonEvent.swift,
//   explained by systemd/stationguard.catalog): started, stopping, rules-reloaded,
//   rules-rejected, record-quarantined, journal-unavailable (written once journald is back),
//   journal-recovered, spool-trouble. Its own log on stderr with <N> priority prefixes;
//   STATUS= and WATCHDOG=1 to systemd. Exit 0 after SIGTERM/SIGINT (the records in hand are
//   finished, the rest wait in new/), 1 when the spool, its lock, the config or the rules are
//   unusable at start-up.
// LIMITS
//   At most 256 records are in flight (claimed, not yet settled). When journald is down,
//   records wait in cur/ and new/ and the daemon retries with backoff (0.5 s doubling to 8 s).
//   No fsync per record: settles are deferred and the spool is synced once per group (a lost
//   settle only means the record is processed again, and the look-up makes that safe).
//   A refused record's record-quarantined event carries its claim mark (SG_CLAIM: this very
//   file in cur/), and recovery looks it up like alerts, so a crash or an outage does not
//   announce it twice. Without root journald refuses to synchronize: records are then settled
//   once their entries are handed over, and recovery waits for a marker entry instead
//   (JournalBarrier, sent again each second while journald's rate limit drops it); if the
//   journal is unreadable for the user, recovery re-sends (duplicates, never losses) and says so. done/ day folders older
//   than done_retention_days are pruned once a station day.
// SEE ALSO
//   spec/interfaces.md §1 (spool), §2 (journal), §3 (rule reload); docs/architecture.md.
import Foundation
import Glibc
import Records
import Rules
import Spool
import Systemd
import Trips

/// The daemon's settings, from `stationguard run`'s options.
public struct DaemonConfiguration: Sendable {
    public var spoolRoot: String
    public var ruleDirectories: [String]
    public var configPath: String
    /// False for the default config path (absent = defaults); true for `--config FILE`.
    public var configMustExist: Bool
    /// Where the trip store lives (`trips.sqlite`); the unit's StateDirectory.
    public var stateDirectory: String
    public static let defaultStateDirectory = "/var/lib/stationguard"
    /// Refuse rule and config files anyone but root or the daemon's user could write
    /// (StrictModes); false only for tests (`--insecure-rules`).
    public var strictModes: Bool

    public init(spoolRoot: String, ruleDirectories: [String], configPath: String, configMustExist: Bool,
                stateDirectory: String = DaemonConfiguration.defaultStateDirectory, strictModes: Bool = true) {
        self.spoolRoot = spoolRoot
        self.ruleDirectories = ruleDirectories
        self.configPath = configPath
        self.configMustExist = configMustExist
        self.stateDirectory = stateDirectory
        self.strictModes = strictModes
    }
}

/// `stationguard run`: one daemon on one spool.
public final class Daemon {
    /// Records claimed but not yet settled, at most: room for the group being judged, the group
    /// being stored and those waiting for journald (1024: the settler now asks journald to
    /// synchronize only every 50 ms, and the intake should not stall meanwhile; a few MB more
    /// at the peak of a burst).
    static let maximumInFlight = 1024
    /// Records judged together and stored in one trip-store transaction during a burst: big
    /// enough to share a commit, small enough that the group's first record waits a few ms
    /// (32 and 128 gave the same records/s within the noise of a busy machine).
    static let intakeGroup = 64
    /// Seconds between safety-net rescans of new/.
    static let rescanInterval = 5.0
    /// A rescan by timer leaves files younger than this alone (an in-place writer may still write).
    static let settleTime = 2.0

    private let configuration: DaemonConfiguration
    private let notifier = ServiceNotifier()
    private let journal = Journal()

    public init(_ configuration: DaemonConfiguration) {
        self.configuration = configuration
    }

    /// Runs until SIGTERM or SIGINT.
    /// - Returns: the exit status: 0 after a graceful stop, 1 when start-up failed (the reason
    ///   is on stderr).
    public func run() -> Int32 {
        SignalWaiter.blockSignals()

        // The spool and its lock: one daemon per spool.
        var spool: Spool
        let lock: SpoolLock
        do {
            spool = try Spool(root: configuration.spoolRoot)
            // A reason file that cannot be named after its record names it inside: cleaned text.
            spool.nameInReason = { JournalText.clean($0) }
            lock = try SpoolLock(spool: spool)
        } catch {
            DaemonLog.fatal("\(error)")
            return 1
        }
        defer { lock.release() }
        for warning in spool.creationWarnings { DaemonLog.warning(warning) }

        // The rules: a start without rules would let every record pass unseen.
        let source = RuleWatcher.Source(layers: RuleLayers(directories: configuration.ruleDirectories),
                                        configPath: configuration.configPath,
                                        configMustExist: configuration.configMustExist,
                                        strictModes: configuration.strictModes)
        let generation: RuleGeneration
        do {
            generation = try source.load()
        } catch let error as RuleLoadError {
            DaemonLog.fatal(lines: ["rules not loaded:"] + error.description.split(separator: "\n").map(String.init)
                            + ["\(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"); not started"])
            return 1
        } catch {
            DaemonLog.fatal("rules not loaded: \(error); not started")
            return 1
        }

        // The trip store: a verdict needs the morning's checks, so a lost store is rebuilt
        // from done/ before the first record is taken.
        let store: TripStore
        do {
            try FileManager.default.createDirectory(atPath: configuration.stateDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
            store = try TripStore(directory: configuration.stateDirectory)
        } catch {
            DaemonLog.fatal("\(configuration.stateDirectory): cannot open the trip store: \(error)")
            return 1
        }

        let watcher: SpoolWatcher
        do {
            watcher = try SpoolWatcher(spool: spool)
        } catch {
            DaemonLog.fatal("\(error)")
            return 1
        }

        let state = DaemonState(rulesVersion: generation.version)
        let writer = JournalWriter(journal: journal, capacity: Daemon.maximumInFlight + 16)
        let settler = Settler(spool: spool, journal: journal, state: state)
        let loop = IntakeLoop(spool: spool, watcher: watcher, writer: writer, settler: settler, journal: journal,
                              state: state, rules: generation, notifier: notifier, store: store)

        loop.announce(.started, DaemonText.started(generation.config.language, spool: spool.root, rules: generation.rules.count,
                                                   files: generation.files.count, version: generation.version))
        DaemonLog.event(5, "started on \(spool.root), rules version \(generation.version)")
        if store.opening != .opened {
            rebuild(store, spool: spool, rules: generation, loop: loop)
        }

        let rules = RuleWatcher(source: source, state: state, notifier: notifier, language: generation.config.language) { event, message, extra in
            loop.announce(event, message, extra)
        }
        _ = SignalWaiter { signal in
            switch signal {
            case .stop:
                state.requestStop()
                watcher.wake()
            case .reload:
                state.requestReload()
                rules.wake()
            }
        }
        _ = Watchdog(notifier: notifier, state: state, status: loop.status)

        loop.recover()
        loop.rescan(olderThan: 0)
        _ = try? notifier.notify(.ready, .status(loop.status()))

        loop.run()

        // Graceful stop: the records in hand are finished; the rest wait in new/.
        _ = try? notifier.notify(.stopping)
        if !state.waitUntilSettled(timeout: 10) {
            DaemonLog.warning("stopping with \(state.inFlight) records unsettled in cur/ (journald slow or down); they are recovered at the next start")
        }
        let (processed, quarantined) = state.processed
        let message = DaemonText.stopping(loop.language, processed: processed, quarantined: quarantined)
        loop.announce(.stopping, message)
        DaemonLog.event(5, message)
        writer.close()
        _ = writer.waitUntilIdle(timeout: .seconds(5))
        return 0
    }

    /// Fills a new or recreated store from done/ and says so in the journal.
    private func rebuild(_ store: TripStore, spool: Spool, rules: RuleGeneration, loop: IntakeLoop) {
        let zh = rules.config.language == .zh
        let why: String
        switch store.opening {
        case .opened: return
        case .created: why = zh ? "尚无班次库" : "no trip store yet"
        case .recreated(let reason):
            why = zh ? "班次库无法使用（\(reason)），原文件已保留在旁" : "the trip store could not be used (\(reason)); the old file was kept beside it"
        }
        let today = Spool.day(of: Date(), in: rules.config.timeZone)
        do {
            let s = try TripStoreRebuild.run(store: store, spool: spool, rules: rules, today: today)
            let en = rules.config.language == .en
            let message = en
                ? "\(why): rebuilt \(store.path ?? "the trip store") from done/ of the last \(rules.config.tripRetentionDays) days: \(s.records) records, \(s.trips) trips decided, \(s.skipped) files skipped"
                : "\(why)：已根据 done/ 最近 \(rules.config.tripRetentionDays) 天的记录重建班次库 \(store.path ?? "")：记录 \(s.records) 条，判定班次 \(s.trips) 个，跳过文件 \(s.skipped) 个"
            DaemonLog.event(5, message)
            loop.announce(.tripStoreRebuilt, message, [("SG_RECORDS", String(s.records)), ("SG_TRIPS", String(s.trips))])
        } catch {
            let message = "\(store.path ?? "trip store"): rebuilding from done/ failed: \(error); trips are decided from new records only"
            DaemonLog.event(4, message)
            loop.announce(.spoolTrouble, message)
        }
    }
}
