// StoredAlerts: which of a record's alerts the journal already holds (recovery after a crash).
import Records
import Systemd

/// Looks records up in the local journal by `SG_RECORD_ID` + `SG_RECORD_SHA256`.
///
/// Open it after `Journal.synchronize()`, so that every entry sent before (by this process or
/// one that was killed) is stored and seen. One reader serves a whole recovery pass.
final class StoredAlerts {
    private let reader: JournalReader

    init() throws { reader = try JournalReader() }

    /// The rule ids (`SG_RULE`) of the stationguard entries already stored for `record`.
    func rules(for record: Record) throws -> Set<String> {
        reader.removeMatches()
        try reader.addMatch("SG_RECORD_ID", record.id)
        try reader.addMatch("SG_RECORD_SHA256", record.sha256)
        try reader.addMatch("SYSLOG_IDENTIFIER", "stationguard")
        try reader.seekHead()
        var rules = Set<String>()
        while let entry = try reader.next() {
            if let rule = entry["SG_RULE"] { rules.insert(rule) }
        }
        return rules
    }
}
