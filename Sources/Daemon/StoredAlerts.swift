// StoredAlerts: which of a record's alerts the journal already holds (recovery after a crash).
import Glibc
import Records
import Rules
import Systemd

/// Looks records up in the local journal by `SG_RECORD_ID` + `SG_RECORD_SHA256`, among the
/// entries this user (`_UID`) sent as `stationguard`.
///
/// Open it after `Journal.synchronize()`, so that every entry sent before (by this process or
/// one that was killed) is stored and seen. One reader serves a whole recovery pass.
final class StoredAlerts {
    private let reader: JournalReader

    init() throws { reader = try JournalReader() }

    /// The rule ids (`SG_RULE`, as the journal holds them: `Alert.journalRule`) of the
    /// stationguard entries already stored for `record`.
    func rules(for record: Record) throws -> Set<String> {
        try rules(recordID: record.id, sha256: record.sha256)
    }

    /// The same look-up by the record's id (as the record holds it, unmasked) and SHA-256; the
    /// catch-up confirmation (CatchUp.swift) has these from the alerts it sent.
    func rules(recordID: String, sha256: String) throws -> Set<String> {
        reader.removeMatches()
        // The journal holds the record id masked (ID numbers never leave unmasked), so the
        // look-up compares masked with masked: the same function Alert.journalRecordID uses.
        try reader.addMatch("SG_RECORD_ID", JournalText.clean(recordID))
        try reader.addMatch("SG_RECORD_SHA256", sha256)
        try reader.addMatch("SYSLOG_IDENTIFIER", "stationguard")
        // journald sets _UID itself: entries another user sent cannot pose as ours.
        try reader.addMatch("_UID", String(getuid()))
        try reader.seekHead()
        var rules = Set<String>()
        while let entry = try reader.next() {
            if let rule = entry["SG_RULE"] { rules.insert(rule) }
            if entry["SG_EVENT"] == DaemonEvent.recordChecked.rawValue { rules.insert(StoredAlerts.recordCheckedKey) }
        }
        return rules
    }

    /// Stands for the record's `record-checked` entry among the rule ids (no rule id has a space).
    static let recordCheckedKey = "record-checked event"

    /// Whether the record-quarantined event of the claim `mark` (ClaimedRecord.mark: this
    /// very file in cur/) is stored.
    func quarantineEventStored(claim mark: String) throws -> Bool {
        reader.removeMatches()
        try reader.addMatch("SG_CLAIM", mark)
        try reader.addMatch("SG_EVENT", DaemonEvent.recordQuarantined.rawValue)
        try reader.addMatch("SYSLOG_IDENTIFIER", "stationguard")
        try reader.addMatch("_UID", String(getuid()))
        try reader.seekHead()
        return try reader.next() != nil
    }

    /// The trips (`SG_TRIP`, masked as written) whose verdict caused by `record` is stored.
    func verdictTrips(causedBy record: Record) throws -> Set<String> {
        reader.removeMatches()
        try reader.addMatch("SG_CAUSE_RECORD_ID", JournalText.clean(record.id))
        try reader.addMatch("SG_CAUSE_SHA256", record.sha256)
        try reader.addMatch("SG_EVENT", "verdict")
        try reader.addMatch("SYSLOG_IDENTIFIER", "stationguard")
        try reader.addMatch("_UID", String(getuid()))
        try reader.seekHead()
        var trips = Set<String>()
        while let entry = try reader.next() {
            if let trip = entry["SG_TRIP"] { trips.insert(trip) }
        }
        return trips
    }
}

/// Waits until journald has processed every entry sent before, without root: sends a marker
/// entry and reads until it is there. journald reads its socket in order, so once the marker
/// is readable, everything sent before it (by this process or one that was killed) is too.
/// Used for recovery when `Journal.synchronize()` is refused (its varlink socket is root's only).
///
/// journald's rate limit drops the marker like any other entry of the unit, so the marker is
/// sent again each second: the first copy let through after the limit's interval ends the wait
/// (a later copy proves as much as the first). Only when none of this user's stationguard
/// entries is readable at all is the journal taken as unreadable, after `timeout`; otherwise
/// the wait goes on up to `patience` (journald's default interval is 30 s).
enum JournalBarrier {
    /// - Parameter beat: called while waiting (the watchdog's heartbeat).
    /// - Throws: `JournalError` when the marker cannot be sent or the journal opened,
    ///   `BarrierTimeout` when it does not appear.
    static func pass(_ journal: Journal, timeout: Double = 10, patience: Double = 70,
                     beat: () -> Void = {}) throws {
        let marker = "\(getpid())-\(DaemonState.monotonicNow())"
        let fields: [JournalField] = [.message("stationguard: recovery barrier \(marker)"), .priority(.info),
                                      .syslogIdentifier("stationguard"), JournalField("SG_BARRIER", marker)]
        let reader = try JournalReader()
        try reader.addMatch("SG_BARRIER", marker)
        let start = DaemonState.monotonicNow()
        var sent = -Double.infinity
        var readable: Bool?
        while true {
            let now = DaemonState.monotonicNow()
            if now - sent >= 1 {
                try journal.send(fields)
                sent = now
            }
            try reader.seekHead()
            if try reader.next() != nil { return }
            if now - start >= timeout {
                if readable == nil { readable = try ownEntriesReadable() }
                if readable == false || now - start >= patience {
                    throw BarrierTimeout(readable: readable ?? false, seconds: now - start)
                }
            }
            beat()
            _ = try reader.wait(timeout: .milliseconds(100))
        }
    }

    /// Whether any stationguard entry this user sent is readable (a user outside the journal's
    /// readers sees none, not even old ones).
    private static func ownEntriesReadable() throws -> Bool {
        let reader = try JournalReader()
        try reader.addMatch("SYSLOG_IDENTIFIER", "stationguard")
        try reader.addMatch("_UID", String(getuid()))
        try reader.seekTail()
        return try reader.previous() != nil
    }

    struct BarrierTimeout: Error, CustomStringConvertible {
        /// Whether this user's earlier entries were readable (then journald kept dropping the
        /// marker, e.g. under its rate limit, rather than the journal being closed to us).
        var readable: Bool
        var seconds: Double

        var description: String {
            let waited = String(format: "%.0f", seconds)
            return readable
                ? "the recovery marker, sent each second, did not appear in the journal within \(waited) s"
                : "the recovery marker did not appear in the journal within \(waited) s, and none of this user's entries is readable"
        }
    }
}
