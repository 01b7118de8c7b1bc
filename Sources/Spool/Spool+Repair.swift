// Spool+Repair: what the daemon does about a spool that was tampered with or that a kiosk
// misuses, so no record waits silently: folders deleted by hand are made again, a name that
// is not UTF-8 is claimed under an escaped name (for quarantine), and a record quarantined
// while its writer was still writing in place is handed back to new/ once it has grown.
import Glibc

extension Spool {
    /// Makes again every spool folder that has gone missing (e.g. `rm -r cur`), with its mode.
    /// - Returns: the folders made, e.g. `["cur"]` (empty when all were there).
    /// - Throws: `SpoolError` when a folder cannot be made.
    public func recreateMissingFolders() throws -> [String] {
        var made: [String] = []
        for folder in Folder.allCases {
            let path = self.path(folder)
            guard case .failure(.noEntry) = SystemCall.lstat(path) else { continue }
            try Spool.makeDirectory(path, mode: folder.mode)
            made.append(folder.rawValue)
        }
        return made
    }

    /// Claims the waiting files in new/ whose names are not valid UTF-8 but otherwise look like
    /// records (ending in `.json`, not starting with a dot): each is renamed into cur/ under its
    /// name with every invalid byte written `\xNN` (`escapedName`), and returned as an
    /// unacceptable record, so the daemon quarantines it with a reason. Such a name used to
    /// wait in new/ forever, unseen.
    public func claimUndecodableNames() throws -> [ClaimedRecord] {
        let directory = path(.new)
        let names = try SystemCall.listUndecodableNames(directory).orThrow("opendir", directory)
        var claimed: [ClaimedRecord] = []
        for bytes in names where bytes.first != UInt8(ascii: ".") && bytes.count > 5
            && bytes.suffix(5) == Array(".json".utf8) {
            let escaped = Spool.escapedName(bytes)
            guard Spool.isRecordName(escaped), escaped.utf8.count <= Spool.maximumNameBytes else { continue }
            switch SystemCall.renameNoReplace(fromBytes: Array(directory.utf8) + [UInt8(ascii: "/")] + bytes, path(.cur, escaped)) {
            case .success:
                let mark = (try? SystemCall.lstat(path(.cur, escaped)).get()).map(ClaimedRecord.mark(of:)) ?? ""
                claimed.append(ClaimedRecord(name: escaped, content: .unacceptable(
                    reason: "the file name is not valid UTF-8 text (its bytes are shown as \\xNN in this name); it was not read"), mark: mark))
            case .failure(.noEntry), .failure(.exists):
                continue
            case .failure(let error):
                throw SpoolError.system("rename", directory, error)
            }
        }
        return claimed
    }

    /// Bytes as a file name: valid UTF-8 as it is, every byte of an invalid sequence as `\xNN`.
    static func escapedName(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            var length = 0
            switch bytes[i] {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length > 0, i + length <= bytes.count, let s = String(validating: bytes[i..<(i + length)], as: UTF8.self) {
                out += s
                i += length
            } else {
                let hex = String(bytes[i], radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                i += 1
            }
        }
        return out
    }

    /// The size and modification time of a quarantined record, to see later whether its writer
    /// went on writing (an in-place writer that paused; see `reclaimIfGrown`).
    public struct Snapshot: Sendable, Equatable {
        public let size: Int
        public let modified: Double
        public init(size: Int, modified: Double) {
            self.size = size
            self.modified = modified
        }
    }

    /// The size and modification time of `quarantine/NAME`, nil when it is not a regular file.
    public func snapshotQuarantined(_ name: String) -> Snapshot? {
        guard case .success(let status) = SystemCall.lstat(path(.quarantine, name)),
              status.st_mode & S_IFMT == S_IFREG else { return nil }
        return Snapshot(size: Int(status.st_size),
                        modified: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
    }

    /// Hands `quarantine/NAME` back to new/ (under `newName`) when it has changed since
    /// `before` (a writer still writing in place when it was claimed has finished since), and
    /// removes its reason. Returns true when it was handed back; false when unchanged, gone, or
    /// `newName` is taken in new/ (try again later).
    public func reclaimIfGrown(_ name: String, since before: Snapshot, as newName: String) throws -> Bool {
        guard let now = snapshotQuarantined(name), now != before else { return false }
        guard Spool.isRecordName(newName) else { throw SpoolError(path: path(.new, newName), reason: .malformedName) }
        switch SystemCall.renameNoReplace(path(.quarantine, name), path(.new, newName)) {
        case .success:
            _ = SystemCall.unlink(path(.quarantine, Spool.reasonName(for: name)))
            try makeDurable([.quarantine], .immediate)
            try SystemCall.fsyncDirectory(path(.new)).orThrow("fsync", path(.new))
            return true
        case .failure(.noEntry), .failure(.exists):
            return false
        case .failure(let error):
            throw SpoolError.system("rename", path(.quarantine, name), error)
        }
    }
}
