// Alert: one fired rule (or one rule that could not decide) about one record, and its
// journal entry (interfaces.md §2).
import Foundation
import Records

/// What a rule says about a record: an alert to write to the journal.
public struct Alert: Sendable {
    public var rule: String
    public var ruleset: String
    public var severity: Severity
    /// The rule's action, or `.review` when the rule could not decide.
    public var action: RuleAction
    /// One sentence for the duty officer, in the configured language, national ID numbers masked.
    public var message: String
    /// 32 lower-case hex digits, stable per rule.
    public var messageID: String
    /// For a REVIEW: why the rule could not decide (e.g. the missing field), masked. Not a
    /// journal field of its own: MESSAGE says it; rule tests read it here.
    public var reviewReason: String?
    public var recordID: String
    public var recordKind: String
    public var station: String?
    public var kiosk: String?
    public var officer: String?
    public var trip: String?
    public var plate: String?
    /// The file name as dropped (SG_SPOOL_FILE).
    public var spoolFile: String
    /// SHA-256 of the file's bytes (SG_RECORD_SHA256).
    public var recordSHA256: String
    /// The generation of rules that produced it (SG_RULES_VERSION).
    public var rulesVersion: String

    /// Exactly the journal contract's fields, in its order; optional ones only when known.
    /// Values are plain UTF-8 text; nothing here is a format string. Every value that comes
    /// from a record or a rule file passes through `JournalText.clean`, so no national ID
    /// number leaves unmasked and no control character unescaped, whichever field a kiosk put
    /// it in (record id, kiosk, officer, file name…). Not masked: the values StationGuard computes itself in a fixed shape
    /// (PRIORITY, MESSAGE_ID, SYSLOG_IDENTIFIER, SG_SEVERITY, SG_ACTION, SG_RECORD_SHA256,
    /// SG_RULES_VERSION): they hold no record text, and a hex digest may by chance contain
    /// 15 decimal digits in a row, which masking would corrupt (breaking `journalctl
    /// MESSAGE_ID=…` and the daemon's recovery match on SG_RECORD_SHA256).
    public var journalFields: [(name: String, value: String)] {
        var f: [(String, String)] = [
            ("MESSAGE", JournalText.clean(message)),
            ("PRIORITY", String(severity.syslogPriority)),
            ("MESSAGE_ID", messageID),
            ("SYSLOG_IDENTIFIER", "stationguard"),
            ("SG_RULE", journalRule),
            ("SG_RULESET", JournalText.clean(ruleset)),
            ("SG_SEVERITY", severity.rawValue),
            ("SG_ACTION", action.rawValue),
            ("SG_RECORD_ID", journalRecordID),
            ("SG_RECORD_KIND", JournalText.clean(recordKind)),
        ]
        func add(_ name: String, _ v: String?) { if let v, !v.isEmpty { f.append((name, JournalText.clean(v))) } }
        add("SG_STATION", station)
        add("SG_KIOSK", kiosk)
        add("SG_OFFICER", officer)
        add("SG_TRIP", trip)
        add("SG_PLATE", plate)
        add("SG_SPOOL_FILE", spoolFile)
        if !recordSHA256.isEmpty { f.append(("SG_RECORD_SHA256", recordSHA256)) }
        f.append(("SG_RULES_VERSION", rulesVersion))
        return f
    }

    /// SG_RECORD_ID exactly as written to the journal (`JournalText.clean(recordID)`). The
    /// daemon's crash recovery matches stored entries with this, not with the raw record id.
    public var journalRecordID: String { JournalText.clean(recordID) }

    /// SG_RULE exactly as written to the journal (`JournalText.clean(rule)`; a rule id is
    /// never ID-shaped in practice, but the journal side and the look-up side must agree).
    public var journalRule: String { JournalText.clean(rule) }

    /// The `check --format json` view: exactly the journal fields, keys lower-cased with
    /// `SG_` dropped (rule, ruleset, severity, action, record_id, message, …). Nothing else:
    /// a REVIEW's reason is in MESSAGE, as in the journal.
    public var jsonFields: [(key: String, value: String)] {
        journalFields.map { f -> (key: String, value: String) in
            let k = f.name.hasPrefix("SG_") ? String(f.name.dropFirst(3)) : f.name
            return (k.lowercased(), f.value)
        }
    }

    /// One line of JSON, keys in journal order.
    public var jsonLine: String {
        "{" + jsonFields.map { JSONValue.quoted($0.key) + ":" + JSONValue.quoted($0.value) }.joined(separator: ",") + "}"
    }
}

// MARK: - MESSAGE_ID

enum MessageIDs {
    /// A fixed namespace, so ids derived here never collide with other programs' ids.
    static let namespace = "stationguard.rule.v1:"

    /// The MESSAGE_ID of a rule without a declared one: the first 32 hex digits of
    /// SHA-256(namespace + rule id). Stable across hosts, versions and reloads.
    static func derived(ruleID: String) -> String {
        String(SHA256.hex(Array((namespace + ruleID).utf8)).prefix(32))
    }
}
