// JournalPriority: the syslog levels StationGuard uses, by name.

/// How urgent an entry is: the journal's `PRIORITY=` field, a syslog level.
///
/// Only levels 2 (critical) to 6 (info) are used: emergency, alert and debug have no meaning
/// for a station. The raw values are the C constants `LOG_CRIT` … `LOG_INFO` (`<syslog.h>`).
public enum JournalPriority: Int32, CaseIterable, Sendable, Comparable {
    case critical = 2
    case error = 3
    case warning = 4
    case notice = 5
    case info = 6

    /// The level's name as rules and `SG_SEVERITY` spell it: `critical`, `error`, `warning`, `notice`, `info`.
    public var name: String {
        switch self {
        case .critical: return "critical"
        case .error: return "error"
        case .warning: return "warning"
        case .notice: return "notice"
        case .info: return "info"
        }
    }

    /// The level with this name (see `name`); `nil` for any other text.
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    /// More urgent levels are smaller numbers, as in syslog: `.critical < .info`.
    public static func < (lhs: JournalPriority, rhs: JournalPriority) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
