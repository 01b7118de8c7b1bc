// Systemd: the only StationGuard code that talks to libsystemd (journal and service manager).
//
// DESCRIPTION
//   A thin, typed wrapper in the swift-system manner. `Journal.send` hands one entry to journald
//   with sd_journal_sendv(3) (iovecs: values go byte for byte, never through a format string);
//   `Journal.synchronize` asks journald over varlink to store everything queued so far;
//   `JournalReader` reads entries back with sd-journal (matches, seek, iterate);
//   `JournalWriter` sends batches from a thread of its own so a stalled journald never blocks
//   the caller; `ServiceNotifier` speaks sd_notify(3) to the service manager.
//   Typed values: `MessageID` (128 bits), `JournalPriority` (syslog levels 2-6), `JournalField`.
//
// TRUST
//   Field values may be anything (record data, kiosk input): they are sent as bytes, intact.
//   Field names come from our code: a name journald would silently drop is a programmer error and
//   fails a precondition (`JournalField.isValidName` lets a caller with a computed name check first).
//   Entries read back are journal data: anyone on the machine can log SG_* fields, so a reader
//   that trusts an entry should also match journald's trusted `_UID=`.
//
// DIAGNOSTICS
//   Writes nothing itself. libsystemd's negative errno returns become `Errno` in one helper
//   (`Errno.result(_:)`); journald absent or refusing (socket missing, ECONNREFUSED, ENOENT) is
//   `JournalError.unavailable`; any other failure is `JournalError.failed(function:errno:)` naming
//   the C function.
//
// LIMITS
//   sd_journal_sendv's 0 is no acknowledgement: it returns 0 when journald's socket is missing
//   (checked here with lstat first, but journald can vanish between the check and the send) and
//   datagrams queued in the socket are lost if journald dies. Only reading back after
//   `synchronize()` proves storage. sd_journal_sendv blocks once the socket queue is full
//   (net.unix.max_dgram_qlen) while journald stalls: use `JournalWriter` where that matters.
//   `synchronize()` needs write access to /run/systemd/journal/io.systemd.journal (root only).
//   A `JournalReader` belongs to one thread at a time (sd-journal is not thread-safe).
//
// SEE ALSO
//   spec/interfaces.md §2 (the journal contract), sd_journal_sendv(3), sd_journal_open(3),
//   sd_notify(3), scripts/private-journald (tests against a private journald).
