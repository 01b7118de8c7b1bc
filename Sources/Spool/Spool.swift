// NAME
//   Spool: the spool directory as a state machine of folders.
// SUMMARY
//   Claims records from new/ into cur/ and files them in done/YYYY-MM-DD/ or
//   quarantine/ (beside NAME.reason); the kiosk side submits through tmp/.
// SYNOPSIS
//   let spool = try Spool(root: "/var/spool/stationguard")     // creates missing folders
//   let lock = try SpoolLock(spool: spool)                      // refuses a second daemon
//   let watcher = try SpoolWatcher(spool: spool)                // before the first scan
//   for name in try spool.unfinished() { try spool.resume(name) … }
//   for name in try spool.scan() { if let claimed = try spool.claim(name) { … } }
//   try spool.settle(claimed, verdict: .done(date: Spool.day(of: now, in: zone)))
//   try spool.settle(claimed, verdict: .quarantine(reason: "…"))
//   try spool.settle(claimed, verdict: …, durability: .deferred) // hot path: no fsync per record
//   try spool.sync()                                            // once per batch or per second
//   let removed = try spool.prune(olderThan: 30, today: Spool.day(of: now, in: zone))
//   switch try watcher.wait(timeout: 5) { case .names, .rescan, .timeout, .woken }
//   try spool.submit(bytes: bytes, name: "K07-0001.json")       // kiosk side
// DESCRIPTION
//   tmp/  kiosk writes here under any name; new/  complete records, renamed in from tmp/;
//   cur/  claimed by the daemon (rename from new/), being processed; done/YYYY-MM-DD/  the
//   audit archive; quarantine/  records that could not be accepted, each with NAME.reason.
//   The `Spool` type builds every path and does every rename (Postfix's mail_queue.c).
//   A state change is one rename(2) that never replaces an existing name
//   (renameat2 RENAME_NOREPLACE), so no record is ever overwritten; a clash in done/ or
//   quarantine/ takes a numbered name (NAME~2.json).
//   Durability: `settle` fsyncs cur/ and the destination by default (`.immediate`). With
//   `.deferred` it only notes the folders, and `sync()` fsyncs each once (day folders, done/,
//   quarantine/, then cur/). That is safe for the daemon because a crash before `sync()` can
//   only undo renames out of cur/: the record is back in cur/, `unfinished()` returns it, and
//   the daemon's journal look-up sends only the alerts not yet sent. The record's bytes are
//   not at stake (neither mode fsyncs them; a rename moves a name, not data). Like the window
//   between rename and fsync in `.immediate`, this relies on the file system journaling a
//   rename as one step (ext4, xfs), so a name is never dropped from cur/ without landing in
//   its destination. Quarantine keeps its invariant in both modes: the reason file is
//   written, fsynced and its name fsynced into quarantine/ before the record moves, so no
//   crash leaves a quarantined record without its reason (quarantines are rare; that one
//   fsync costs the hot path nothing).
//   Deleting: `prune` is the only code that deletes records. It removes done/YYYY-MM-DD/
//   folders past the retention, and those hold only records already processed and journaled
//   (the daemon settles a record in done/ only after its alerts reached the journal). It never
//   touches tmp/, new/, cur/ or quarantine/. Elsewhere the spool unlinks only its own
//   temporary files, a reason file it wrote moments before and could not pair with its record,
//   and the old name in the link+unlink rename fallback.
//   Deciding a record's fate is not done here: the daemon loop gets bytes (or an
//   `.unacceptable` reason), judges them, and passes the verdict to `settle`.
//   `SpoolWatcher` turns inotify events on new/ into hints; `SpoolLock` keeps a second
//   daemon off the spool.
// TRUST
//   Names and bytes in new/ are kiosk input, hostile until Records accepts them. Only
//   regular files named *.json (not starting with '.') count; `.part` files, dotfiles and
//   other names are never read. A claimed file is lstat()ed and opened with
//   O_NOFOLLOW|O_NONBLOCK, then fstat()ed: symlinks, FIFOs, devices, sockets and
//   directories are quarantined unopened (or at least unread), and a file over the size cap
//   (1 MiB by default) is quarantined without being read. cur/, done/ and quarantine/ are
//   the daemon's own.
// DIAGNOSTICS
//   Throws `SpoolError` (path + plain words, or the failing C call and strerror) for trouble
//   with the spool itself; the record concerned stays where it was. Never logs, never
//   exits, never traps on file contents or names.
// LIMITS
//   A kiosk writing in place under the final name (scp) may have a half-written file
//   claimed; pass `scan(olderThan:)` a few seconds on timer rescans to narrow that window.
//   A name whose twin is still in cur/ stays in new/ until the twin is settled. Hard
//   links are not refused (fs.protected_hardlinks keeps kiosks from linking foreign
//   files). Names that are not valid UTF-8 are never seen and stay in new/.
//   Without RENAME_NOREPLACE support, renames fall back to link+unlink (see SystemCall).
//   `sync()` covers deferred settles made through one `Spool` value and its copies; a second
//   `Spool(root:)` on the same root keeps its own list. `prune` reads a whole day folder's
//   listing into memory, and leaves (and reports) a day folder holding a subfolder or a name
//   that is not UTF-8 (neither is made by settle).
// SEE ALSO
//   spec/interfaces.md §1 (the spool contract), SpoolWatcher.swift, SpoolLock.swift.
import Foundation
import Glibc

/// A spool directory: tmp/, new/, cur/, done/ and quarantine/ under one root.
public struct Spool: Sendable {
    /// The spool a station uses unless told otherwise.
    public static let defaultRoot = "/var/spool/stationguard"
    /// The largest record the spool reads: 1 MiB.
    public static let defaultSizeLimit = 1 << 20

    /// The spool's folders; each is one state a record can be in.
    enum Folder: String, CaseIterable {
        case tmp, new, cur, done, quarantine

        /// Kiosks (the upload group) write tmp/ and new/; the daemon alone writes the rest.
        /// The modes of systemd/stationguard.tmpfiles: tmp/ and new/ are set-group-ID (files take
        /// the folder's group, so the daemon can read them) and sticky (a kiosk may rename or
        /// delete only its own files). Applied only to folders we create.
        var mode: mode_t {
            switch self {
            case .tmp, .new: return 0o3770
            case .cur, .done, .quarantine: return 0o750
            }
        }
    }

    /// The root folder, as given (without trailing slashes).
    public let root: String
    /// Folders changed by deferred settles and not yet fsynced; shared by copies of this value.
    let unsynced = UnsyncedFolders()
    /// The last numbered name used per name and folder; shared by copies of this value.
    let numberedNames = NumberedNames()
    /// Day folders of done/ known to exist; shared by copies of this value.
    let madeDays = MadeDays()
    /// How a record's name is written into a reason file that cannot be named after it (the
    /// daemon passes its one cleaning function: names are kiosk input). Identity by default.
    public var nameInReason: @Sendable (String) -> String = { $0 }
    /// Files larger than this many bytes are quarantined unread.
    public let sizeLimit: Int
    /// What opening could not do as asked, in plain words (a folder made without its full
    /// mode); empty almost always. The daemon logs these.
    public private(set) var creationWarnings: [String] = []
    /// The highest size limit a spool takes (1 GiB): a record is read whole into memory.
    public static let maximumSizeLimit = 1 << 30

    /// Opens the spool at `root`, creating the root and any missing folder.
    ///
    /// - Parameters:
    ///   - root: the spool folder, e.g. `/var/spool/stationguard`. Its parent must exist.
    ///   - sizeLimit: the largest record in bytes; larger ones are quarantined unread. Clamped
    ///     to 0…`maximumSizeLimit`.
    ///   - createMissing: false for the kiosk side (`stationguard submit`), which should report a
    ///     mistyped `--spool` instead of making a spool nobody watches.
    /// - Throws: `SpoolError` when the root or a folder is not a directory, a folder is a
    ///   symlink or on another file system, or a folder is missing and cannot (or may not) be
    ///   created (`.system(call: "lstat"/"stat", errno: ENOENT)`).
    public init(root: String, sizeLimit: Int = Spool.defaultSizeLimit, createMissing: Bool = true) throws {
        var trimmed = root
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed
        self.sizeLimit = min(max(0, sizeLimit), Spool.maximumSizeLimit)

        var warnings: [String] = []
        // 0755, not tmpfiles' 0750: a daemon cannot give the root the kiosks' group, and
        // without it 0750 would shut them out; tmp/ and new/ guard themselves.
        if createMissing { try Spool.makeDirectory(self.root, mode: 0o755) }
        // The root itself may be a symlink an administrator set up; its folders may not.
        let rootStatus = try SystemCall.stat(self.root).orThrow("stat", self.root)
        guard rootStatus.st_mode & S_IFMT == S_IFDIR else {
            throw SpoolError(path: self.root, reason: .notADirectory)
        }
        for folder in Folder.allCases {
            let path = self.path(folder)
            if createMissing, try Spool.makeDirectory(path, mode: folder.mode) & S_ISGID != 0 {
                warnings.append("\(path): made without set-group-ID (refused here, e.g. by systemd's RestrictSUIDSGID=): files kiosks write there keep their own group and may be unreadable to the daemon; `systemd-tmpfiles --create` gives the folder its full mode")
            }
            let status = try SystemCall.lstat(path).orThrow("lstat", path)
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw SpoolError(path: path, reason: .notADirectory)
            }
            guard status.st_dev == rootStatus.st_dev else {
                throw SpoolError(path: path, reason: .notOneFileSystem)
            }
        }
        creationWarnings = warnings
    }

    // MARK: - Listing

    /// Names of records waiting in new/, oldest first (by modification time, then name).
    ///
    /// Only record names count (see `isRecordName`): dotfiles, `*.part` and other names are
    /// left alone. Symlinks, FIFOs and other odd files with record names are listed so that a
    /// claim can quarantine them.
    /// - Parameters:
    ///   - olderThan: leave out files modified less than this many seconds before `now`, so a
    ///     timer rescan does not snatch a file a kiosk is still writing in place (scp).
    ///     Hints from `SpoolWatcher` come after the writer closed the file and need no wait.
    ///   - now: the present moment (injectable for tests).
    /// - Throws: `SpoolError` when new/ cannot be read.
    public func scan(olderThan: Double = 0, now: Date = Date()) throws -> [String] {
        let cutoff = now.timeIntervalSince1970 - olderThan
        return try listOldestFirst(.new, only: Spool.isRecordName).filter { entry in
            olderThan <= 0 || entry.modified <= cutoff
        }.map(\.name)
    }

    /// Names left in cur/: claimed earlier but never settled (the daemon stopped or the journal
    /// was down). They must be processed again, with `resume`. Oldest first.
    /// - Throws: `SpoolError` when cur/ cannot be read.
    public func unfinished() throws -> [String] {
        try listOldestFirst(.cur, only: { !$0.hasPrefix(".") }).map(\.name)
    }

    /// Whether `name` is a record name: a plain file name ending in `.json`, with something before
    /// it, not starting with `.` (which also leaves out `NAME.json.part`, rsync's dot-temp files
    /// and the like).
    public static func isRecordName(_ name: String) -> Bool {
        name.count > 5 && name.hasSuffix(".json") && !name.hasPrefix(".") && !name.contains("/")
            && !name.utf8.contains(0)
    }

    private func listOldestFirst(_ folder: Folder, only accept: (String) -> Bool) throws
        -> [(name: String, modified: Double)]
    {
        let directory = path(folder)
        let names = try SystemCall.listDirectory(directory).orThrow("opendir", directory)
        var entries: [(name: String, modified: Double, nanoseconds: Int, seconds: Int)] = []
        for name in names where accept(name) {
            // lstat: the listing must not follow a kiosk's symlink. A name gone meanwhile was taken.
            guard case .success(let status) = SystemCall.lstat(path(folder, name)) else { continue }
            let seconds = Int(status.st_mtim.tv_sec), nanoseconds = Int(status.st_mtim.tv_nsec)
            entries.append((name, Double(seconds) + Double(nanoseconds) / 1e9, nanoseconds, seconds))
        }
        entries.sort { a, b in
            (a.seconds, a.nanoseconds) != (b.seconds, b.nanoseconds)
                ? (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds) : a.name < b.name
        }
        return entries.map { ($0.name, $0.modified) }
    }

    // MARK: - Paths (built here and nowhere else)

    func path(_ folder: Folder) -> String {
        root + "/" + folder.rawValue
    }

    func path(_ folder: Folder, _ name: String) -> String {
        path(folder) + "/" + name
    }

    func dayPath(_ day: String) -> String {
        path(.done, day)
    }

    /// Creates a spool folder with `mode`, or accepts the directory already there (its type is
    /// checked by the caller).
    ///
    /// mkdir(2) gets the mode without set-user/group-ID and chmod(2) then sets the whole mode
    /// (mkdir applies the umask and may drop set-group-ID anyway). Under systemd's
    /// RestrictSUIDSGID= a seccomp filter refuses every mkdir or chmod whose mode holds those bits
    /// with EPERM, even for a folder that exists: mkdir without them passes, and when the chmod
    /// with them is refused (EPERM/EACCES) the folder gets the mode without them. A sandbox may
    /// also refuse mkdir (EPERM, EACCES, EROFS) before looking whether the name exists: then an
    /// existing directory is accepted.
    /// - Parameters:
    ///   - mkdir, chmod: the system calls (a test passes ones that refuse like the filter).
    /// - Returns: the bits of `mode` that could not be set (0: the folder has its whole mode, or
    ///   already existed).
    @discardableResult
    static func makeDirectory(_ path: String, mode: mode_t,
                              mkdir: (String, mode_t) -> Result<Void, Errno> = SystemCall.mkdir,
                              chmod: (String, mode_t) -> Result<Void, Errno> = SystemCall.chmod) throws -> mode_t {
        let special = mode & (S_ISUID | S_ISGID)
        switch mkdir(path, mode & ~special) {
        case .success:
            switch chmod(path, mode) {
            case .success:
                return 0
            case .failure(let error) where special != 0 && (error == .notPermitted || error == .accessDenied):
                try chmod(path, mode & ~special).orThrow("chmod", path)
                return special
            case .failure(let error):
                throw SpoolError.system("chmod", path, error)
            }
        case .failure(.exists):
            return 0
        case .failure(let error) where error == .notPermitted || error == .accessDenied || error == Errno(EROFS):
            guard case .success(let status) = SystemCall.lstat(path), status.st_mode & S_IFMT == S_IFDIR else {
                throw SpoolError.system("mkdir", path, error)
            }
            return 0
        case .failure(let error):
            throw SpoolError.system("mkdir", path, error)
        }
    }
}
