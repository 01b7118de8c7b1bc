// JournalReader: reads journal entries back (sd-journal), by match, from a position.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSystemd

/// One stored journal entry: its fields in stored order, its cursor and time.
public struct JournalEntry: Sendable {
    /// Every field, in the order `sd_journal_enumerate_data` gives them; a name may repeat.
    public let fields: [(name: String, value: [UInt8])]
    /// Where the entry is, for `JournalReader.seek(cursor:)` (`__CURSOR`).
    public let cursor: String
    /// When journald received it, microseconds since 1970 (`__REALTIME_TIMESTAMP`).
    public let realtimeMicroseconds: UInt64

    /// The first value of the field `name` as text (invalid UTF-8 repaired with U+FFFD).
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Every value of the field `name`, as stored.
    public func values(of name: String) -> [[UInt8]] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// The fields as text, first value per name (for tests and display).
    public var strings: [String: String] {
        var result = [String: String]()
        for field in fields where result[field.name] == nil {
            result[field.name] = String(decoding: field.value, as: UTF8.self)
        }
        return result
    }
}

/// Reads the local journal: add matches, seek, then `next()` until `nil`.
///
/// Matches on different fields must all hold; several values for one field are alternatives
/// (sd-journal's rules). A reader is not thread-safe: keep it on one thread.
public final class JournalReader {
    private let journal: OpaquePointer
    /// sd-journal stands on an entry, but our callers think between entries (like a cursor in
    /// text): after `next()` ran off the end, `previous()` must give the entry sd-journal still
    /// stands on, not the one before it; likewise after `previous()` ran off the start.
    private var standing = Standing.nowhere

    private enum Standing {
        case nowhere  // after a seek: no entry under us yet
        case read  // on an entry already given out
        case unreadBehind  // on an entry that `previous()` gives next
        case unreadAhead  // on an entry that `next()` gives next
    }

    /// Opens the local machine's journal files (system and users', runtime and persistent).
    ///
    /// The corresponding C function is `sd_journal_open` with `SD_JOURNAL_LOCAL_ONLY`.
    /// Files the caller may not read are skipped, not reported (membership of the group
    /// `systemd-journal` gives access to all of them).
    /// - Throws: `JournalError.failed` naming the C function.
    public convenience init() throws {
        try self.init(opening: "sd_journal_open") { sd_journal_open(&$0, Int32(SD_JOURNAL_LOCAL_ONLY)) }
    }

    /// Opens the journal files in one directory, e.g. a copy of `/var/log/journal/MACHINE-ID`.
    ///
    /// The corresponding C function is `sd_journal_open_directory`.
    public convenience init(directory: String) throws {
        try self.init(opening: "sd_journal_open_directory") { sd_journal_open_directory(&$0, directory, 0) }
    }

    private init(opening function: String, _ open: (inout OpaquePointer?) -> Int32) throws {
        var handle: OpaquePointer?
        try Self.check(open(&handle), function)
        journal = handle!
        // The default threshold (64 KiB) truncates large values when reading; entries must
        // read back exactly as sent.
        _ = sd_journal_set_data_threshold(journal, 0)
    }

    deinit { sd_journal_close(journal) }

    // MARK: - Matches

    /// Only entries with the field `name` equal to `value` (alternatives for one name OR).
    ///
    /// The corresponding C function is `sd_journal_add_match`.
    /// - Precondition: `JournalField.isValidName(name, trusted: true)` (so `_UID` is allowed).
    public func addMatch(_ name: String, _ value: String) throws {
        precondition(JournalField.isValidName(name, trusted: true), "invalid journal field name \"\(name)\"")
        var match = Array(name.utf8)
        match.append(UInt8(ascii: "="))
        match.append(contentsOf: value.utf8)
        try Self.check(match.withUnsafeBytes { sd_journal_add_match(journal, $0.baseAddress, $0.count) }, "sd_journal_add_match")
    }

    /// Ends a group of matches: entries matching the groups before OR the matches after qualify.
    ///
    /// The corresponding C function is `sd_journal_add_disjunction`.
    public func addDisjunction() throws {
        try Self.check(sd_journal_add_disjunction(journal), "sd_journal_add_disjunction")
    }

    /// Removes every match.
    ///
    /// The corresponding C function is `sd_journal_flush_matches`.
    public func removeMatches() { sd_journal_flush_matches(journal) }

    // MARK: - Position

    /// Before the oldest entry: `next()` gives the oldest.
    ///
    /// The corresponding C functions are `sd_journal_seek_head` and `sd_journal_next`
    /// (systemd 252's `sd_journal_previous` right after a seek to the head returns the
    /// oldest entry, so we stand on it and let `next()` hand it out once).
    public func seekHead() throws {
        try Self.check(sd_journal_seek_head(journal), "sd_journal_seek_head")
        let moved = try Self.check(sd_journal_next(journal), "sd_journal_next")
        standing = moved > 0 ? .unreadAhead : .nowhere
    }

    /// After the newest entry: `previous()` gives the newest, `next()` only what comes later.
    ///
    /// The corresponding C functions are `sd_journal_seek_tail` and `sd_journal_previous`:
    /// systemd 252's `sd_journal_next` right after `sd_journal_seek_tail` returns the newest
    /// entry again (later versions return nothing), so we stand on the newest entry instead
    /// and let `previous()` hand it out once.
    public func seekTail() throws {
        try Self.check(sd_journal_seek_tail(journal), "sd_journal_seek_tail")
        let moved = try Self.check(sd_journal_previous(journal), "sd_journal_previous")
        standing = moved > 0 ? .unreadBehind : .nowhere
    }

    /// At a cursor from `JournalEntry.cursor`: `next()` gives that entry (if it still exists,
    /// else the closest one after it). Use `seek(after:)` to resume behind it.
    ///
    /// The corresponding C function is `sd_journal_seek_cursor`.
    public func seek(cursor: String) throws {
        standing = .nowhere
        try Self.check(sd_journal_seek_cursor(journal, cursor), "sd_journal_seek_cursor")
    }

    /// Just behind a cursor: `next()` gives the first entry after it.
    ///
    /// The corresponding C functions are `sd_journal_seek_cursor`, `sd_journal_next` and `sd_journal_test_cursor`.
    public func seek(after cursor: String) throws {
        try seek(cursor: cursor)
        let moved = try Self.check(sd_journal_next(journal), "sd_journal_next")
        guard moved > 0 else { return }
        // On the cursor's own entry we are behind it already; on a later one (the cursor's
        // entry is gone) that entry is still unread.
        standing = sd_journal_test_cursor(journal, cursor) > 0 ? .read : .unreadAhead
    }

    // MARK: - Reading

    /// The entry after the current position, or `nil` at the end.
    ///
    /// The corresponding C functions are `sd_journal_next` and `sd_journal_enumerate_data`.
    public func next() throws -> JournalEntry? { try step(forward: true) }

    /// The entry before the current position, or `nil` at the start.
    ///
    /// The corresponding C function is `sd_journal_previous`.
    public func previous() throws -> JournalEntry? { try step(forward: false) }

    private func step(forward: Bool) throws -> JournalEntry? {
        if standing == (forward ? .unreadAhead : .unreadBehind) {
            standing = .read
            return try current()
        }
        let moved = forward
            ? try Self.check(sd_journal_next(journal), "sd_journal_next")
            : try Self.check(sd_journal_previous(journal), "sd_journal_previous")
        if moved > 0 {
            standing = .read
            return try current()
        }
        // Ran off the end (or start): the entry under us is now on the other side.
        if standing != .nowhere { standing = forward ? .unreadBehind : .unreadAhead }
        return nil
    }

    /// Every entry from the current position to the end (at most `limit`).
    public func readToEnd(limit: Int = .max) throws -> [JournalEntry] {
        var entries = [JournalEntry]()
        while entries.count < limit, let entry = try next() { entries.append(entry) }
        return entries
    }

    /// Waits until the journal changes or `timeout` passes; `true` if entries were added or
    /// files changed. Call before `next()` to follow the journal.
    ///
    /// The corresponding C function is `sd_journal_wait`.
    public func wait(timeout: Duration) throws -> Bool {
        let (seconds, attoseconds) = timeout.components
        let microseconds = UInt64(max(0, seconds)) * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
        return try Self.check(sd_journal_wait(journal, microseconds), "sd_journal_wait") != Int32(SD_JOURNAL_NOP)
    }

    private func current() throws -> JournalEntry {
        var cursorPointer: UnsafeMutablePointer<CChar>?
        try Self.check(sd_journal_get_cursor(journal, &cursorPointer), "sd_journal_get_cursor")
        defer { free(cursorPointer) }
        var realtime: UInt64 = 0
        try Self.check(sd_journal_get_realtime_usec(journal, &realtime), "sd_journal_get_realtime_usec")
        var fields = [(name: String, value: [UInt8])]()
        sd_journal_restart_data(journal)
        var data: UnsafeRawPointer?
        var length = 0
        while try Self.check(sd_journal_enumerate_data(journal, &data, &length), "sd_journal_enumerate_data") > 0 {
            let bytes = UnsafeRawBufferPointer(start: data, count: length)
            guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else { continue }
            fields.append((String(decoding: bytes[..<equals], as: UTF8.self), Array(bytes[(equals + 1)...])))
        }
        return JournalEntry(fields: fields, cursor: String(cString: cursorPointer!), realtimeMicroseconds: realtime)
    }

    @discardableResult
    private static func check(_ returned: Int32, _ function: String) throws -> Int32 {
        switch Errno.result(returned) {
        case .success(let value): return value
        case .failure(let error): throw JournalError.failed(function: function, errno: error)
        }
    }
}
