// DaemonLog: the daemon's own log lines on standard error, graded as Postfix's msg.c grades them.
// Under systemd, stderr goes to the journal and the `<N>` prefix sets the priority
// (SyslogLevelPrefix=); run by hand, the prefix shows and says the same.
//
// Every line passes JournalText.clean (IDs masked, control characters escaped): a kiosk's file
// name holding "\n<0>…" would otherwise become a journal entry of its own, at a priority of
// its choosing. A line break inside a text is escaped too; a report of several lines (rule
// issues at start-up) is written line by line (`fatal(lines:)`).
//
// Log once: a daemon event (`event`) is also a journal entry of its own (DaemonEvent), so when
// JOURNAL_STREAM says stderr is the journal, the event's stderr copy is left out; run by hand
// (stderr a terminal or a file), it is written so that a person sees it.
import Foundation
import Glibc
import Records

enum DaemonLog {
    private static let lock = NSLock()

    /// Bad input or trouble the daemon works around (priority 4).
    static func warning(_ text: String) { write(4, text) }
    /// A state change worth knowing (priority 5).
    static func notice(_ text: String) { write(5, text) }
    /// The daemon cannot go on (priority 3); the caller exits.
    static func fatal(_ text: String) { write(3, text) }
    /// Several lines at priority 3, each its own prefixed line.
    static func fatal(lines: [String]) { for line in lines { write(3, line) } }
    /// The stderr copy of a daemon event at syslog `level`: written only when stderr is not
    /// the journal (the event itself is).
    static func event(_ level: Int, _ text: String) {
        if !stderrIsJournal { write(level, text) }
    }

    /// Whether stderr is journald's stream: JOURNAL_STREAM (`DEVICE:INODE`, set by systemd)
    /// names the device and inode of fd 2.
    static let stderrIsJournal: Bool = {
        guard let value = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(2, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }()

    private static func write(_ level: Int, _ text: String) {
        // One write(2) per line, so threads never interleave within a line. SIGPIPE is ignored
        // (journald's stream may be gone while journald is down), so a failed write is harmless.
        let bytes = Array("<\(level)>stationguard: \(JournalText.clean(text))\n".utf8)
        lock.lock()
        defer { lock.unlock() }
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
