// DaemonLog: the daemon's own log lines on standard error, graded as Postfix's msg.c grades them.
// Under systemd, stderr goes to the journal and the `<N>` prefix sets the priority
// (SyslogLevelPrefix=); run by hand, the prefix shows and says the same.
import Foundation
import Glibc

enum DaemonLog {
    private static let lock = NSLock()

    /// Bad input or trouble the daemon works around (priority 4).
    static func warning(_ text: String) { write(4, text) }
    /// A state change worth knowing (priority 5).
    static func notice(_ text: String) { write(5, text) }
    /// The daemon cannot go on (priority 3); the caller exits.
    static func fatal(_ text: String) { write(3, text) }

    private static func write(_ level: Int, _ text: String) {
        // One write(2) per line, so threads never interleave within a line. SIGPIPE is ignored
        // (journald's stream may be gone while journald is down), so a failed write is harmless.
        let line = Array("<\(level)>stationguard: \(text)\n".utf8)
        lock.lock()
        defer { lock.unlock() }
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
