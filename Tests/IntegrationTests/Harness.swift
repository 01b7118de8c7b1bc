// Harness: runs the built `stationguard` binary against a real spool and the real journald,
// and reads back what the journal holds. Each test uses its own station code, so its entries
// are told apart by SG_STATION (and daemon events by SG_SPOOL).
import Foundation
import XCTest

/// The build folder holding the test bundle and the `stationguard` binary.
let buildFolder: URL = {
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        return bundle.bundleURL.deletingLastPathComponent()
    }
    return Bundle.main.bundleURL
}()

let binary = buildFolder.appendingPathComponent("stationguard").path
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Waits until `condition` holds, checking every 50 ms, at most `timeout` seconds.
@discardableResult
func waitUntil(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try condition()
}

/// A scratch folder with a spool, rule directories and a config naming a unique station.
final class Scene {
    let root: String
    let station: String
    var spool: String { root + "/spool" }
    var vendorRules: String { root + "/vendor" }
    var adminRules: String { root + "/admin" }
    var config: String { root + "/stationguard.yaml" }
    /// The daemon's state directory (its trip store), one per scene.
    var state: String { root + "/state" }
    /// Prefix for nsenter when the scene lives beside a private journald.
    var namespacePrefix: [String] = []
    /// Prefix for the daemon alone, e.g. setpriv to run it as another user.
    var daemonPrefix: [String] = []

    init(_ label: String, rules: String = Fixtures.rules) throws {
        let token = UUID().uuidString.prefix(8).lowercased()
        station = "IT-\(label)-\(token)"
        root = NSTemporaryDirectory() + "sg-it-\(label)-\(token)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: vendorRules, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: adminRules, withIntermediateDirectories: true)
        // The spool's folders as the daemon makes them, so records can be dropped before it starts.
        for folder in ["tmp", "new", "cur", "done", "quarantine"] {
            try fm.createDirectory(atPath: spool + "/" + folder, withIntermediateDirectories: true)
        }
        try rules.write(toFile: vendorRules + "/testset.yaml", atomically: true, encoding: .utf8)
        try "station_code: \(station)\ntime_zone: Asia/Shanghai\n".write(toFile: config, atomically: true, encoding: .utf8)
        // StrictModes: rule and config files only their owner may write, whatever the umask.
        for path in [root, vendorRules, adminRules] { chmod(path, 0o755) }
        for path in [vendorRules + "/testset.yaml", config] { chmod(path, 0o644) }
    }

    /// Removes the scratch folder (kept when SG_KEEP_SCENES is set, for a look after a failure).
    func remove() {
        if ProcessInfo.processInfo.environment["SG_KEEP_SCENES"] == nil { try? FileManager.default.removeItem(atPath: root) }
    }

    var runArguments: [String] {
        ["run", "--spool", spool, "--rules", vendorRules, "--rules", adminRules, "--config", config, "--state", state]
    }

    // MARK: - Records

    /// Writes a record into `folder` (default: a staging folder) and returns its path.
    @discardableResult
    func write(_ record: [String: Any], name: String, into folder: String? = nil) throws -> String {
        let dir = folder ?? root + "/staging"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
        let path = dir + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Drops a record into new/ as a kiosk should (write in tmp/, rename into new/); the same
    /// bytes stay in the staging folder for `predictedAlerts`. Returns the staged path.
    @discardableResult
    func drop(_ record: [String: Any], name: String) throws -> String {
        let staged = try write(record, name: name)
        let temporary = spool + "/tmp/" + name
        try FileManager.default.copyItem(atPath: staged, toPath: temporary)
        guard rename(temporary, spool + "/new/" + name) == 0 else { throw POSIXError(.EIO) }
        return staged
    }

    /// Drops raw bytes into new/ (through tmp/).
    func drop(bytes: String, name: String) throws {
        let staged = spool + "/tmp/" + name
        try bytes.write(toFile: staged, atomically: false, encoding: .utf8)
        guard rename(staged, spool + "/new/" + name) == 0 else { throw POSIXError(.EIO) }
    }

    /// An example record with a unique id and this scene's station.
    func record(_ example: String, id: String, patch: [String: Any?] = [:]) -> [String: Any] {
        var record = Fixtures.example(example)
        record["record_id"] = id
        record["station_code"] = station
        for (key, value) in patch { record[key] = value }
        return record
    }

    // MARK: - The spool's folders

    func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? []).sorted()
    }

    /// Every record name filed under done/DATE/.
    func doneNames() -> [String] {
        names(in: "done").flatMap { day in
            ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/done/" + day)) ?? []).filter { !$0.hasPrefix(".") }
        }.sorted()
    }

    /// Records in quarantine/: not the `.reason` files, nor the spool's dot-named temporary files
    /// (a kill while a reason is written leaves `.NAME.reason.tmp` behind).
    func quarantinedNames() -> [String] {
        names(in: "quarantine").filter { !$0.hasSuffix(".reason") && !$0.hasPrefix(".") }
    }

    func settledCount() -> Int { doneNames().count + quarantinedNames().count }

    func reason(of name: String) -> String? {
        try? String(contentsOfFile: spool + "/quarantine/" + name + ".reason", encoding: .utf8)
    }

    // MARK: - Predictions and the journal

    /// What `stationguard check --format json` says the journal should hold for these files.
    func predictedAlerts(for paths: [String]) throws -> [[String: String]] {
        var alerts: [[String: String]] = []
        var index = 0
        while index < paths.count {
            let chunk = Array(paths[index..<min(index + 400, paths.count)])
            index += chunk.count
            let result = try runProgram(binary, ["check", "--format", "json", "--rules", vendorRules, "--rules", adminRules,
                                                 "--config", config] + chunk)
            XCTAssertEqual(result.status, 0, "check failed: \(result.err)")
            for line in result.out.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if object?["verdict"] != nil { continue }   // a trip decision, not an alert
                alerts.append(object as? [String: String] ?? [:])
            }
        }
        return alerts
    }

    /// The journal's entries matching `field=value`, after journald stored everything sent.
    func journalEntries(_ match: String) throws -> [[String: String]] {
        let sync = try runProgram(namespacePrefix.first ?? "/bin/journalctl",
                                  Array(namespacePrefix.dropFirst()) + (namespacePrefix.isEmpty ? [] : ["journalctl"]) + ["--sync"])
        XCTAssertEqual(sync.status, 0, "journalctl --sync: \(sync.err)")
        let read = try runProgram(namespacePrefix.first ?? "/bin/journalctl",
                                  Array(namespacePrefix.dropFirst()) + (namespacePrefix.isEmpty ? [] : ["journalctl"])
                                      + ["-o", "json", "--no-pager", match])
        return read.out.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            var entry: [String: String] = [:]
            for (key, value) in object {
                if let text = value as? String { entry[key] = text }
            }
            return entry
        }
    }

    /// Alert entries (those with SG_RULE, not verdicts) of this scene's station.
    func journalAlerts() throws -> [[String: String]] {
        try journalEntries("SG_STATION=\(station)").filter { $0["SG_RULE"] != nil && $0["SG_EVENT"] == nil }
    }

    /// Verdict entries (SG_EVENT=verdict) of this scene's station, in journal order.
    func journalVerdicts() throws -> [[String: String]] {
        try journalEntries("SG_STATION=\(station)").filter { $0["SG_EVENT"] == "verdict" }
    }

    /// Daemon events of this scene's spool.
    func journalEvents(_ event: String) throws -> [[String: String]] {
        try journalEntries("SG_SPOOL=\(spool)").filter { $0["SG_EVENT"] == event }
    }
}

/// A `stationguard run` process, its output in a log file.
final class DaemonProcess {
    let child: Child
    let logPath: String

    init(_ scene: Scene, label: String = "daemon", environment: [String: String] = [:]) throws {
        logPath = scene.root + "/\(label)-\(UUID().uuidString.prefix(6)).log"
        let fd = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        defer { close(fd) }
        let command = scene.namespacePrefix + scene.daemonPrefix + [binary] + scene.runArguments
        child = try Child(command[0], Array(command.dropFirst()), stdout: fd, stderr: fd, environment: environment)
    }

    var pid: pid_t { child.pid }
    var isRunning: Bool { child.isRunning }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the daemon says it started (its signal handling is set up by then).
    @discardableResult
    func waitUntilStarted(timeout: Double = 30) -> Bool {
        waitUntil(timeout: timeout) { log.contains("stationguard: started on") || !isRunning }
    }

    /// SIGTERM, then waits for the exit; returns the status.
    @discardableResult
    func stop() -> Int32 {
        child.signal(SIGTERM)
        if !waitUntil(timeout: 20, { !child.isRunning }) { child.signal(SIGKILL) }
        return child.wait()
    }

    func killHard() {
        child.signal(SIGKILL)
        child.wait()
    }
}

/// Keys of alerts as a set of "record_id/rule".
func alertKeys(_ alerts: [[String: String]], idKey: String, ruleKey: String) -> [String] {
    alerts.map { "\($0[idKey] ?? "?")/\($0[ruleKey] ?? "?")" }.sorted()
}

/// A systemd-journald of its own in a private mount namespace (scripts/private-journald), for
/// tests that stop journald or change its files. Commands join it with nsenter.
final class PrivateJournald {
    private let namespace: Child
    private let input: Int32
    /// nsenter into the namespace: prefix a command with it.
    let prefix: [String]

    init() throws {
        // The namespace lives as long as `read` waits on our pipe.
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)  // only `read` may hold the write end open
        namespace = try Child(repository.path + "/scripts/private-journald", ["/bin/sh", "-c", "read line"], stdin: ends[0])
        close(ends[0])
        input = ends[1]
        prefix = ["/usr/bin/nsenter", "-t", "\(namespace.pid)", "-m"]
        let up = try waitUntil(timeout: 20) {
            try run(["test", "-f", "/run/systemd/journal/.private-journald/journald.pid"]).status == 0
                && run(["test", "-S", "/run/systemd/journal/socket"]).status == 0
        }
        if !up { stop(); throw XCTSkip("private journald did not start") }
    }

    /// Runs a command inside the namespace (with SG_PRIVATE_JOURNALD set for the script's subcommands).
    func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        try runProgram(prefix[0], Array(prefix.dropFirst()) + ["/usr/bin/env", "SG_PRIVATE_JOURNALD=/run/systemd/journal/.private-journald"] + arguments)
    }

    func stop() {
        close(input)
        namespace.wait()
    }
}
