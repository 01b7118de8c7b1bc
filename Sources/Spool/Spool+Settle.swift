// Spool+Settle: cur/ → done/YYYY-MM-DD/ or quarantine/ (with NAME.reason), never overwriting.
import Foundation
import Glibc

/// The daemon's verdict on a claimed record. The loop decides; `Spool.settle` only files it.
public enum Verdict: Sendable, Equatable {
    /// Processed: file it in the audit archive under `done/DATE/`, `DATE` being `YYYY-MM-DD` in the
    /// station's time zone (see `Spool.day(of:in:)`).
    case done(date: String)
    /// Not acceptable: file it in `quarantine/` beside `NAME.reason` holding `reason`, in plain words.
    case quarantine(reason: String)
}

extension Spool {
    /// The longest file name Linux file systems take (NAME_MAX), in bytes.
    static let maximumNameBytes = 255
    /// The longest reason file name: its temporary name (`.NAME.reason.PID.MICROS.tmp`) must fit
    /// in `maximumNameBytes` too.
    static let maximumReasonNameBytes = 200

    /// How soon a settle must be on disk.
    public enum Durability: Sendable, Equatable {
        /// Both folders are fsynced before `settle` returns: once it returns, the move survives a
        /// crash. Two or three directory fsyncs per record.
        case immediate
        /// The move is not fsynced; the folders are noted and `sync()` makes them durable. After a
        /// crash before `sync()`, the record may be back in cur/ (processed again), never lost. A
        /// quarantine reason is still made durable before its record moves.
        case deferred
    }

    /// Files a claimed record according to the verdict and, by default, makes that durable.
    ///
    /// The record is renamed out of cur/ without replacing anything: if `NAME` is taken in the
    /// destination, it gets the first free `NAME~2.json`, `NAME~3.json`, … For a quarantine the
    /// reason file is written (tmp name, fsync, rename, fsync of quarantine/) before the record
    /// moves, so a quarantined record never lacks its reason, whatever the durability.
    /// - Parameter durability: `.immediate` fsyncs cur/ and the destination folder (and done/ when a
    ///   day folder is created) before returning; `.deferred` leaves that to the next `sync()`.
    /// - Returns: the path the record now has, e.g. `ROOT/quarantine/A123~2.json`.
    /// - Throws: `SpoolError` for a malformed date, a record no longer in cur/ (`.vanished`), or a
    ///   failing system call; the record then stays in cur/ and is found by `unfinished()`.
    @discardableResult
    public func settle(_ claimed: ClaimedRecord, verdict: Verdict, durability: Durability = .immediate) throws
        -> String
    {
        let source = path(.cur, claimed.name)
        switch verdict {
        case .done(let date):
            guard Spool.isDay(date) else { throw SpoolError(path: dayPath(date), reason: .malformedDate) }
            let day = dayPath(date)
            // A day folder made (or found) once is not made again for each of its thousands of
            // records; if it was removed by hand since, the record's rename finds no folder and
            // it is made again.
            let known = madeDays.contains(day)
            if !known { try makeDayFolder(day, durability) }
            let target: String
            do {
                target = try moveToFreeName(source, into: day, name: claimed.name)
            } catch let error as SpoolError where known && error.reason == .vanished {
                madeDays.forget(day)
                try makeDayFolder(day, durability)
                target = try moveToFreeName(source, into: day, name: claimed.name)
            }
            try makeDurable([.day(date), .cur], durability)
            return target

        case .quarantine(let reason):
            let folder = path(.quarantine)
            let text = Array((reason.hasSuffix("\n") ? reason : reason + "\n").utf8)
            let target = try moveToFreeName(source, into: folder, name: claimed.name, reason: text)
            try makeDurable([.quarantine, .cur], durability)
            return target
        }
    }

    private func makeDayFolder(_ day: String, _ durability: Durability) throws {
        switch SystemCall.mkdir(day, Folder.done.mode) {
        case .success:
            try SystemCall.chmod(day, Folder.done.mode).orThrow("chmod", day)
            try makeDurable([.done], durability)  // the day folder's own name in done/
        case .failure(.exists): break
        case .failure(let error): throw SpoolError.system("mkdir", day, error)
        }
        madeDays.insert(day)
    }

    /// The day folder name (`YYYY-MM-DD`) for `date` on the station's calendar.
    public static func day(of date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let year = parts.year ?? 0, month = parts.month ?? 0, day = parts.day ?? 0
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let paddedYear = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(paddedYear)-\(two(month))-\(two(day))"
    }

    /// `YYYY-MM-DD` with a plausible month and day; anything else could escape done/.
    static func isDay(_ text: String) -> Bool {
        dayParts(text) != nil
    }

    /// Year, month and day of a `YYYY-MM-DD` name with month 1…12 and day 1…31, else nil.
    static func dayParts(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard digits.allSatisfy({ bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }) else { return nil }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(bytes[$1] - UInt8(ascii: "0")) } }
        let parts = (year: number(0..<4), month: number(5..<7), day: number(8..<10))
        guard (1...12).contains(parts.month), (1...31).contains(parts.day) else { return nil }
        return parts
    }

    /// `A123.json`, then `A123~2.json`, `A123~3.json`, … A name near the file system's limit
    /// has its stem cut (at a character boundary) so the numbered form still fits.
    static func numbered(_ name: String, _ number: Int) -> String {
        guard number > 1 else { return name }
        let json = name.hasSuffix(".json") && name.count > 5
        var stem = json ? String(name.dropLast(5)) : name
        let tail = "~\(number)" + (json ? ".json" : "")
        while stem.utf8.count + tail.utf8.count > maximumNameBytes && !stem.isEmpty { stem.removeLast() }
        return stem + tail
    }

    /// `CANDIDATE.reason`, or, when that would not fit (the record's name is near the file
    /// system's limit), a short `long-name-HASH.reason`; the reason then names its record in
    /// its first line (`nameLine`), so a quarantined record of any name gets its reason.
    static func reasonName(for candidate: String) -> String {
        let plain = candidate + ".reason"
        if plain.utf8.count <= maximumReasonNameBytes { return plain }
        // FNV-1a, 64 bits: a short, stable stand-in; a clash only skips to the next candidate.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in candidate.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return "long-name-" + String(repeating: "0", count: 16 - hex.count) + hex + ".reason"
    }

    /// Renames `source` into `folder` under a free numbered form of `name`; with a `reason`,
    /// first writes the candidate's reason file (a candidate whose reason name is taken is
    /// skipped, and the reason is removed again if the record cannot follow it). Returns the new
    /// path.
    ///
    /// The search never gives up and costs O(1) renames amortised: the last number used for a
    /// name in a folder is remembered (`numberedNames`), so the 10,000th `A.json` of a day
    /// tries `A~10000.json` first instead of 9,999 taken names; without a memory (after a
    /// restart) the numbers gallop (1, 2, 3, 5, 9, 17, …), so a day of n clashes costs
    /// O(log n) tries once.
    private func moveToFreeName(_ source: String, into folder: String, name: String, reason: [UInt8]? = nil) throws
        -> String
    {
        var number = numberedNames.next(in: folder, name: name)
        let remembered = number > 1
        var tries = 0
        while true {
            defer {
                tries += 1
                number = remembered || number < 3 ? number + 1 : 2 * number - 1
            }
            let candidate = Spool.numbered(name, number)
            let target = folder + "/" + candidate
            // Without a reason the no-replace rename alone finds a taken name (.exists below); the
            // lstat would be one more look-up in a folder of thousands, per record.
            if reason != nil, case .success = SystemCall.lstat(target) { continue }
            let reasonName = Spool.reasonName(for: candidate)
            // Only a reason written just now for this candidate is ever removed.
            func withdrawReason() { if reason != nil { _ = SystemCall.unlink(folder + "/" + reasonName) } }
            if let reason {
                let text = reasonName == candidate + ".reason" ? reason
                    : Array("record: \(nameInReason(candidate)) (its name is too long for NAME.reason)\n".utf8) + reason
                guard try writeReason(text, as: reasonName, in: folder) else { continue }
                // The reason's name goes to disk before the record's, whatever the durability: a
                // crash in between leaves an orphan reason (skipped later), never a bare record.
                if case .failure(let error) = SystemCall.fsyncDirectory(folder) {
                    withdrawReason()
                    throw SpoolError.system("fsync", folder, error)
                }
            }
            switch SystemCall.renameNoReplace(source, target) {
            case .success:
                if number > 1 || tries > 0 { numberedNames.used(number, in: folder, name: name) }
                return target
            case .failure(.exists):
                withdrawReason()  // taken between lstat and rename: try the next name
                continue
            case .failure(.noEntry):
                withdrawReason()
                throw SpoolError(path: source, reason: .vanished)
            case .failure(let error):
                withdrawReason()
                throw SpoolError.system("rename", source, error)
            }
        }
    }

    /// Writes `folder/reasonName` atomically (see `place`). Returns false if `reasonName` is
    /// already taken (an orphan from a crash between writing a reason and moving its record):
    /// the caller tries the next numbered name.
    private func writeReason(_ text: [UInt8], as reasonName: String, in folder: String) throws -> Bool {
        let final = folder + "/" + reasonName
        if case .success = SystemCall.lstat(final) { return false }
        return try place(text, at: final, via: folder + "/." + reasonName + Spool.temporarySuffix(), mode: 0o640)
    }
}

/// The last number used per (folder, name) for numbered names, shared by copies of a `Spool`.
/// Bounded: past `capacity` entries it starts afresh (the search then gallops once more).
final class NumberedNames: @unchecked Sendable {
    private var last: [String: Int] = [:]
    private let lock = NSLock()
    static let capacity = 10_000

    /// The number to try first for `name` in `folder`: one past the last used, else 1.
    func next(in folder: String, name: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        return (last[folder + "/" + name] ?? 0) + 1
    }

    func used(_ number: Int, in folder: String, name: String) {
        lock.lock(); defer { lock.unlock() }
        if last.count >= NumberedNames.capacity { last.removeAll() }
        last[folder + "/" + name] = number
    }
}

/// The day folders of done/ made or found by `settle`, shared by copies of a `Spool`; a few
/// days at most (a settle files under today's date).
final class MadeDays: @unchecked Sendable {
    private var days: Set<String> = []
    private let lock = NSLock()

    func contains(_ day: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return days.contains(day)
    }

    func insert(_ day: String) {
        lock.lock(); defer { lock.unlock() }
        if days.count >= 8 { days.removeAll() }
        days.insert(day)
    }

    func forget(_ day: String) {
        lock.lock(); defer { lock.unlock() }
        days.remove(day)
    }
}
