// RuleWatcher: reloads the rules when their files change and on SIGHUP, off to the side.
//
// Watching is a poll of the rule directories and the config file once a second (lstat of a
// handful of files), not inotify: the admin directory often does not exist yet (inotify cannot
// watch a missing folder), masking swaps a file for a symlink to /dev/null, vendor sets may be
// symlinks whose targets change, and editors save by rename. A fingerprint of names, types,
// sizes, inodes and modification times (of link targets too) catches all of it at a cost no
// one notices; a second's delay is nothing for a rule change.
//
// A change must hold still for 200 ms before loading, so a file caught half-written is
// usually not loaded (if it is, the load fails, the old rules stay, and the finished file
// is loaded at the next poll). The new generation is compiled on this thread and handed to
// the intake loop, which swaps it in between two records: intake never pauses, and no record
// is judged by a half-loaded set.
import Foundation
import Glibc
import Rules
import Systemd

final class RuleWatcher {
    struct Source {
        var layers: RuleLayers
        var configPath: String
        /// False for the default config path (a missing file means defaults).
        var configMustExist: Bool
        /// StrictModes (false only for tests).
        var strictModes = true

        /// Loads config and rules into a new generation.
        /// - Throws: `RuleLoadError` with every issue at file:line:col.
        func load() throws -> RuleGeneration {
            let config = try StationConfig.load(path: configPath, mustExist: configMustExist, strictModes: strictModes)
            return try RuleLoader(layers: layers, config: config, strictModes: strictModes).load()
        }

        /// Everything about the rule files and the config that a change would alter.
        func fingerprint() -> String {
            var parts: [String] = []
            for directory in layers.directories {
                parts.append(directory + "=" + RuleWatcher.describe(directory))
                let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
                for name in names.sorted() {
                    parts.append(name + "=" + RuleWatcher.describe(directory + "/" + name))
                }
            }
            parts.append(configPath + "=" + RuleWatcher.describe(configPath))
            return parts.joined(separator: "\n")
        }
    }

    private let source: Source
    /// The language of the events it writes: the rules in force's config (this thread only).
    private var language: MessageLanguage
    private let state: DaemonState
    private let notifier: ServiceNotifier
    private let announce: (DaemonEvent, String, [(String, String)]) -> Void
    private let condition = NSCondition()
    private var woken = false

    /// - Parameter announce: writes a daemon event (event, message, extra fields).
    init(source: Source, state: DaemonState, notifier: ServiceNotifier, language: MessageLanguage = .zh,
         announce: @escaping (DaemonEvent, String, [(String, String)]) -> Void) {
        self.language = language
        self.source = source
        self.state = state
        self.notifier = notifier
        self.announce = announce
        let start = source.fingerprint()
        let thread = Thread { [self] in run(since: start) }
        thread.name = "rule-watcher"
        thread.start()
    }

    /// Makes the watcher look now (SIGHUP).
    func wake() {
        condition.lock()
        woken = true
        condition.signal()
        condition.unlock()
    }

    private func run(since start: String) {
        var loaded = start
        while true {
            condition.lock()
            if !woken { _ = condition.wait(until: Date(timeIntervalSinceNow: 1)) }
            woken = false
            condition.unlock()
            if state.stopRequested { return }

            let asked = state.takeReloadRequest()
            let now = source.fingerprint()
            if !asked {
                guard now != loaded else { continue }
                Thread.sleep(forTimeInterval: 0.2)
                guard source.fingerprint() == now else { continue }  // still being written
            }
            loaded = now
            reload(signal: asked)
        }
    }

    private func reload(signal: Bool) {
        _ = try? notifier.notify(.reloading)
        let before = state.rulesVersion
        do {
            let generation = try source.load()
            state.offer(generation)
            state.rulesVersion = generation.version
            language = generation.config.language
            let why = DaemonText.why(language, signal: signal)
            let message = DaemonText.rulesReloaded(language, why: why, rules: generation.rules.count, files: generation.files.count,
                                                   version: generation.version, before: before)
            DaemonLog.event(5, message)
            announce(.rulesReloaded, message, [("SG_RULES_VERSION", generation.version), ("SG_RULES_PREVIOUS", before)])
        } catch let error as RuleLoadError {
            let first = error.issues.first.map(\.summary) ?? "unknown problem"
            let message = DaemonText.rulesRejected(language, why: DaemonText.why(language, signal: signal), first: first,
                                                   count: error.issues.count, before: before)
            DaemonLog.event(4, message)
            announce(.rulesRejected, message, [("SG_RULES_VERSION", before), ("SG_ISSUES", error.description)])
        } catch {
            let message = DaemonText.rulesRejected(language, why: DaemonText.why(language, signal: signal), error: "\(error)", before: before)
            DaemonLog.event(4, message)
            announce(.rulesRejected, message, [("SG_RULES_VERSION", before)])
        }
        _ = try? notifier.notify(.ready)
    }

    /// type:size:inode:mtime of a path, and of a symlink's target; "-" when absent.
    static func describe(_ path: String) -> String {
        var status = stat()
        guard lstat(path, &status) == 0 else { return "-" }
        var text = "\(status.st_mode & S_IFMT):\(status.st_size):\(status.st_ino):\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec)"
        if status.st_mode & S_IFMT == S_IFLNK {
            text += ">" + ((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?")
            var target = stat()
            if stat(path, &target) == 0 {
                text += ":\(target.st_size):\(target.st_ino):\(target.st_mtim.tv_sec).\(target.st_mtim.tv_nsec)"
            }
        }
        return text
    }
}
