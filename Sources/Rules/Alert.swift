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
    /// For a REVIEW: why the rule could not decide (e.g. the missing field), masked.
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
    /// Values are plain UTF-8 text; nothing here is a format string.
    public var journalFields: [(name: String, value: String)] {
        var f: [(String, String)] = [
            ("MESSAGE", message),
            ("PRIORITY", String(severity.syslogPriority)),
            ("MESSAGE_ID", messageID),
            ("SYSLOG_IDENTIFIER", "stationguard"),
            ("SG_RULE", rule),
            ("SG_RULESET", ruleset),
            ("SG_SEVERITY", severity.rawValue),
            ("SG_ACTION", action.rawValue),
            ("SG_RECORD_ID", recordID),
            ("SG_RECORD_KIND", recordKind),
        ]
        func add(_ name: String, _ v: String?) { if let v, !v.isEmpty { f.append((name, v)) } }
        add("SG_STATION", station)
        add("SG_KIOSK", kiosk)
        add("SG_OFFICER", officer)
        add("SG_TRIP", trip)
        add("SG_PLATE", plate)
        add("SG_SPOOL_FILE", spoolFile)
        add("SG_RECORD_SHA256", recordSHA256)
        f.append(("SG_RULES_VERSION", rulesVersion))
        return f
    }

    /// The `check --format json` view: the journal fields with lower-case keys, `SG_`
    /// dropped (rule, ruleset, severity, action, record_id, message, …).
    public var jsonFields: [(key: String, value: String)] {
        var out = journalFields.map { f -> (key: String, value: String) in
            let k = f.name.hasPrefix("SG_") ? String(f.name.dropFirst(3)) : f.name
            return (k.lowercased(), f.value)
        }
        if let reviewReason { out.append(("review_reason", reviewReason)) }
        return out
    }

    /// One line of JSON, keys in journal order.
    public var jsonLine: String {
        "{" + jsonFields.map { JSONValue.quoted($0.key) + ":" + JSONValue.quoted($0.value) }.joined(separator: ",") + "}"
    }
}

// MARK: - MESSAGE_ID and masking

enum MessageIDs {
    /// A fixed namespace, so ids derived here never collide with other programs' ids.
    static let namespace = "stationguard.rule.v1:"

    /// The MESSAGE_ID of a rule without a declared one: the first 32 hex digits of
    /// SHA-256(namespace + rule id). Stable across hosts, versions and reloads.
    static func derived(ruleID: String) -> String {
        String(SHA256.hex(Array((namespace + ruleID).utf8)).prefix(32))
    }
}

enum PersonalData {
    /// Masks every national ID number in free text (interfaces.md §2: at most the first 6
    /// and last 4 characters). An ID is a run of 18 characters (17 digits and a digit or X)
    /// or of 15 digits (first-generation cards), not part of a longer run of letters/digits.
    static func maskIDNumbers(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count >= 15 else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var i = 0
        func isWordChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        while i < chars.count {
            if isWordChar(chars[i]) {
                var j = i
                while j < chars.count, isWordChar(chars[j]) { j += 1 }
                let run = chars[i..<j]
                let last = run.last ?? " "
                let isID = (run.count == 18 && run.dropLast().allSatisfy(\.isNumber) && (last.isNumber || last == "X" || last == "x"))
                    || (run.count == 15 && run.allSatisfy(\.isNumber))
                out += isID ? NationalIDNumber.masked(String(run)) : String(run)
                i = j
            } else {
                out.append(chars[i]); i += 1
            }
        }
        return out
    }
}
