// Spool+Claim: new/ → cur/ by rename, then the safe read at the trust boundary.
import Glibc

/// A record the daemon has claimed: it now sits in cur/ under `name`.
public struct ClaimedRecord: Sendable, Equatable {
    /// What the spool could read of it.
    public enum Content: Sendable, Equatable {
        /// The file's bytes, at most the spool's size limit. Not yet judged: Records does that.
        case bytes([UInt8])
        /// The spool refused to read it (not a regular file, too large, unreadable); the reason
        /// is in plain words, fit for `quarantine/NAME.reason`. Settle it in quarantine.
        case unacceptable(reason: String)
    }

    /// The file name as the kiosk dropped it (the same in new/ and cur/), e.g. `A123.json`.
    public let name: String
    public let content: Content
    /// This claim's file as the spool found it in cur/: inode and change time (the claim's
    /// rename sets it), the same when the record is read again after a crash or an outage,
    /// different for a new file of the same name or one written since. Empty when the file was
    /// gone before it could be examined. Lets the daemon find its own earlier event for this
    /// very file (SG_CLAIM), which a name or the bytes alone cannot tell from a resubmission.
    public let mark: String

    public init(name: String, content: Content, mark: String = "") {
        self.name = name
        self.content = content
        self.mark = mark
    }

    /// Letters only (each hex digit 0–f written a–p): journal text is masked where it looks like
    /// an ID number, and a mark must reach the journal and be found there as it is.
    static func mark(of status: stat) -> String {
        [UInt64(status.st_ino), UInt64(status.st_ctim.tv_sec), UInt64(status.st_ctim.tv_nsec)].map { value in
            String(String(value, radix: 16).unicodeScalars.map { c -> Character in
                let digit = c.value <= 57 ? c.value - 48 : c.value - 87
                return Character(Unicode.Scalar(97 + digit)!)
            })
        }.joined(separator: "-")
    }
}

extension Spool {
    /// Claims a waiting record: renames `new/NAME` to `cur/NAME`, then reads it safely.
    ///
    /// The rename never replaces: if `cur/NAME` still holds an unsettled record of the same
    /// name, the newcomer stays in new/ untouched and this returns nil; a later scan finds it
    /// again once the first one is settled.
    /// - Returns: the claimed record, or nil when the name is gone from new/ (someone else took
    ///   it) or its twin is still in cur/.
    /// - Throws: `SpoolError` for a name that is not a record name (nothing is moved) or when the
    ///   rename or the read fails for a reason other than the file itself; a record already
    ///   moved stays in cur/ and is found by `unfinished()`.
    public func claim(_ name: String) throws -> ClaimedRecord? {
        guard Spool.isRecordName(name) else {
            throw SpoolError(path: path(.new, name), reason: .malformedName)
        }
        let waiting = path(.new, name), claimed = path(.cur, name)
        switch SystemCall.renameNoReplace(waiting, claimed) {
        case .success: break
        case .failure(.noEntry), .failure(.exists): return nil
        case .failure(let error): throw SpoolError.system("rename", waiting, error)
        }
        return try read(claimed, name: name)
    }

    /// Reads again a record left in cur/ (from `unfinished()`), as `claim` would have.
    /// - Returns: nil when it is no longer there.
    public func resume(_ name: String) throws -> ClaimedRecord? {
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("/") else {
            throw SpoolError(path: path(.cur, name), reason: .malformedName)
        }
        return try read(path(.cur, name), name: name)
    }

    /// The trust boundary (style point 4): lstat, refuse all but regular files unopened, cap the
    /// size before reading, open with O_NOFOLLOW|O_NONBLOCK (a FIFO swapped in cannot block us,
    /// a symlink swapped in fails with ELOOP), fstat the open file and check again.
    private func read(_ path: String, name: String) throws -> ClaimedRecord? {
        let before: stat
        switch SystemCall.lstat(path) {
        case .success(let status): before = status
        case .failure(.noEntry): return nil
        case .failure(let error): throw SpoolError.system("lstat", path, error)
        }
        let mark = ClaimedRecord.mark(of: before)
        if let refusal = refusal(of: before) {
            return ClaimedRecord(name: name, content: .unacceptable(reason: refusal), mark: mark)
        }

        let fd: Int32
        switch SystemCall.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) {
        case .success(let opened): fd = opened
        case .failure(.noEntry): return nil
        case .failure(.symlinkLoop):
            return ClaimedRecord(name: name, content: .unacceptable(reason: Spool.kindWords(S_IFLNK)), mark: mark)
        case .failure(let error) where error == .accessDenied || error == .notPermitted:
            return ClaimedRecord(name: name, content: .unacceptable(
                reason: "the file cannot be opened for reading (\(error)); check the kiosk's file permissions"), mark: mark)
        case .failure(let error):
            throw SpoolError.system("open", path, error)
        }
        return try SystemCall.closeAfter(fd) {
            let status = try SystemCall.fstat(fd).orThrow("fstat", path)
            if let refusal = refusal(of: status) {
                return ClaimedRecord(name: name, content: .unacceptable(reason: refusal), mark: mark)
            }
            // Read one byte past the limit: a file still growing (in-place writer) is caught too.
            // Size the buffer by fstat, one byte over; grow only if the file grew, up to the cap.
            var bytes = [UInt8](repeating: 0, count: min(status.st_size, sizeLimit) + 1)
            var filled = 0
            while filled < sizeLimit + 1 {
                if filled == bytes.count {
                    bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, sizeLimit + 1 - bytes.count)))
                }
                let count = try bytes.withUnsafeMutableBytes { buffer in
                    try SystemCall.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                        .orThrow("read", path)
                }
                if count == 0 { break }
                filled += count
            }
            if filled > sizeLimit {
                return ClaimedRecord(name: name, content: .unacceptable(reason: tooLargeWords(nil)), mark: mark)
            }
            bytes.removeSubrange(filled...)
            return ClaimedRecord(name: name, content: .bytes(bytes), mark: mark)
        }
    }

    /// Why a file with this status is not read, or nil for a regular file within the limit.
    private func refusal(of status: stat) -> String? {
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else { return Spool.kindWords(kind) }
        return status.st_size > sizeLimit ? tooLargeWords(status.st_size) : nil
    }

    private func tooLargeWords(_ size: Int?) -> String {
        let measured = size.map { "\($0) bytes" } ?? "more than \(sizeLimit) bytes"
        return "the file is \(measured), over the spool's limit of \(sizeLimit) bytes; it was not read"
    }

    /// Plain words for a file that is not a regular file.
    static func kindWords(_ kind: mode_t) -> String {
        let what: String
        switch kind {
        case S_IFLNK: what = "a symbolic link; it was not followed"
        case S_IFIFO: what = "a named pipe (FIFO); it was not opened"
        case S_IFCHR: what = "a character device; it was not opened"
        case S_IFBLK: what = "a block device; it was not opened"
        case S_IFSOCK: what = "a socket; it was not opened"
        case S_IFDIR: what = "a directory"
        default: what = "not a regular file (type \(String(kind, radix: 8)))"
        }
        return "the spool accepts only regular files, and this is \(what)"
    }
}
