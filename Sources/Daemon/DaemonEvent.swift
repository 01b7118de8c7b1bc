// DaemonEvent: the daemon's own journal entries (SG_EVENT=…), each with its MESSAGE_ID.
import Records
import Systemd

/// Something the daemon itself reports to the duty officers and administrators.
///
/// Every event carries `SG_EVENT`, its own `MESSAGE_ID` (explained by the message catalog),
/// `SG_SPOOL` (the spool root, so one daemon's events can be told from another's) and, when
/// configured, `SG_STATION`.
public enum DaemonEvent: String, CaseIterable, Sendable {
    case started
    case stopping
    case rulesReloaded = "rules-reloaded"
    case rulesRejected = "rules-rejected"
    case recordQuarantined = "record-quarantined"
    case journalUnavailable = "journal-unavailable"
    case journalRecovered = "journal-recovered"
    case spoolTrouble = "spool-trouble"
    /// Every accepted record: its kind, ids and alert counts, so "passed" differs from "never inspected".
    case recordChecked = "record-checked"
    /// The trip store was missing or unusable and was rebuilt from done/.
    case tripStoreRebuilt = "trip-store-rebuilt"
    case alertsMissing = "alerts-missing"

    /// Stable ids; the catalog (systemd/stationguard.catalog) explains each.
    public var messageID: MessageID {
        let text: String
        switch self {
        case .started: text = "243b15f21c244d038903d20b5dae1ce7"
        case .stopping: text = "7e4480c857e3452792eecccf3c25a2bd"
        case .rulesReloaded: text = "e4a2ff4d5a354fd8aa61cbe418d4771b"
        case .rulesRejected: text = "0064e45165464775bfd20a5856a75bce"
        case .recordQuarantined: text = "351fcdd030fa4b778abb7476277c3970"
        case .journalUnavailable: text = "367d58dd36854f89ad488923e919f666"
        case .journalRecovered: text = "4f477eab07a5498094ded03a540d1aaa"
        case .spoolTrouble: text = "560a3cf0575d461781f009a8ff0b4fb4"
        case .recordChecked: text = "8b0f6a4c2e9d4d1f9a7c3e5b1d2f4a6c"
        case .tripStoreRebuilt: text = "c3e1a9b7d5f34e2a8c6b4d2f0e1a3c5b"
        case .alertsMissing: text = "9b1f0e6c2d7a4c5e8f3a61d0b47e2c95"
        }
        return MessageID(text)!  // constants above: 32 lower-case hex digits each
    }

    /// How urgent the event is for a duty officer.
    public var priority: JournalPriority {
        switch self {
        case .recordChecked: return .info
        case .started, .stopping, .rulesReloaded, .journalRecovered, .tripStoreRebuilt: return .notice
        case .rulesRejected, .recordQuarantined, .alertsMissing: return .warning
        case .spoolTrouble, .journalUnavailable: return .error
        }
    }

    /// The entry: the common fields, then `extra` (names must be valid journal field names).
    ///
    /// The one choke point for the daemon's events: every text value (message, spool, station,
    /// extra fields such as SG_SPOOL_FILE and SG_REASON) passes `JournalText.clean`, whatever
    /// language or wording it was built in, so a kiosk's file name or record text never
    /// reaches the journal with an ID unmasked or a control character raw. SG_ISSUES (rule
    /// issues, one per line with CEL carets) keeps its line breaks, each line cleaned. Not
    /// cleaned: SG_RULES_VERSION and SG_RULES_PREVIOUS, computed here in a fixed shape (a
    /// digest with digits that masking could corrupt).
    func fields(message: String, spool: String, station: String?, rulesVersion: String?,
                extra: [(String, String)] = []) -> [JournalField] {
        var fields: [JournalField] = [
            .message(JournalText.clean(message)), .priority(priority), .messageID(messageID),
            .syslogIdentifier("stationguard"),
            JournalField("SG_EVENT", rawValue), JournalField("SG_SPOOL", JournalText.clean(spool)),
        ]
        if let station, !station.isEmpty { fields.append(JournalField("SG_STATION", JournalText.clean(station))) }
        if let rulesVersion { fields.append(JournalField("SG_RULES_VERSION", rulesVersion)) }
        for (name, value) in extra {
            switch name {
            case "SG_RULES_VERSION", "SG_RULES_PREVIOUS": fields.append(JournalField(name, value))
            case "SG_ISSUES":
                let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
                fields.append(JournalField(name, lines.map { JournalText.clean(String($0)) }.joined(separator: "\n")))
            default: fields.append(JournalField(name, JournalText.clean(value)))
            }
        }
        return fields
    }
}
