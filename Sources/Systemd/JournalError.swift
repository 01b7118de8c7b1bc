// JournalError: why an entry did not reach journald, or a read failed.

/// A failure talking to journald or reading the journal.
public enum JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// journald is not there: its socket is missing (`ENOENT`), or a socket file is left but no
    /// journald listens (`ECONNREFUSED`). Nothing was stored; back off and send again later.
    case unavailable(Errno)
    /// A C call failed with this error; `function` names it, e.g. `sd_journal_sendv`.
    case failed(function: String, errno: Errno)
    /// journald answered a varlink call with an error, e.g. `io.systemd.Journal.Synchronize`.
    case refused(method: String, error: String)

    public var description: String {
        switch self {
        case .unavailable(let errno):
            return "journald unavailable: \(Journal.socketPath): \(errno)"
        case .failed(let function, let errno):
            return "\(function): \(errno)"
        case .refused(let method, let error):
            return "journald refused \(method): \(error)"
        }
    }

    /// Whether the failure means journald is down rather than that this entry was wrong.
    public var isUnavailable: Bool {
        if case .unavailable = self { return true }
        return false
    }
}
