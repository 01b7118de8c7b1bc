// Spool+Sync: deferred settles, made durable once per batch instead of once per record.
import Foundation
import Glibc

extension Spool {
    /// A folder whose entries changed without an fsync. Declared in the order `sync()` flushes
    /// them: destinations first, cur/ last, so cur/ never loses a name to disk before the
    /// destination has gained it through us.
    enum UnsyncedFolder: Hashable, Comparable, Sendable {
        case day(String)
        case done
        case quarantine
        case cur
    }

    /// Makes every deferred settle so far durable: fsyncs the done/ day folders settled into,
    /// done/ (if a day folder was created), quarantine/ and cur/, each once. Does nothing when
    /// nothing is pending. Call it once per batch or about once a second.
    ///
    /// Covers settles made through this `Spool` value and its copies (they share one note of
    /// pending folders); a second `Spool(root:)` on the same root keeps its own.
    /// The corresponding C function is `fsync`, on each folder opened read-only.
    /// - Throws: `SpoolError` naming the first folder whose fsync failed. That folder and the
    ///   ones after it stay pending for the next call, unless the folder no longer exists
    ///   (then there is nothing left to sync in it).
    public func sync() throws {
        let pending = unsynced.takeAll().sorted()
        for (index, folder) in pending.enumerated() {
            let path = self.path(of: folder)
            if case .failure(let error) = SystemCall.fsyncDirectory(path) {
                let still = pending[index...].filter { !($0 == folder && error == .noEntry) }
                unsynced.insert(still)
                throw SpoolError.system("fsync", path, error)
            }
        }
    }

    /// Fsyncs `folders` now (`.immediate`) or notes them for `sync()` (`.deferred`).
    func makeDurable(_ folders: [UnsyncedFolder], _ durability: Durability) throws {
        switch durability {
        case .immediate:
            for folder in folders {
                let path = self.path(of: folder)
                try SystemCall.fsyncDirectory(path).orThrow("fsync", path)
            }
        case .deferred:
            unsynced.insert(folders)
        }
    }

    func path(of folder: UnsyncedFolder) -> String {
        switch folder {
        case .day(let date): return dayPath(date)
        case .done: return path(.done)
        case .quarantine: return path(.quarantine)
        case .cur: return path(.cur)
        }
    }
}

/// The folders awaiting `Spool.sync()`. A class so that copies of a `Spool` (the intake and the
/// settler each hold one) share it; locked because they run on different threads.
final class UnsyncedFolders: @unchecked Sendable {
    private let lock = NSLock()
    private var folders: Set<Spool.UnsyncedFolder> = []

    func insert<S: Sequence>(_ more: S) where S.Element == Spool.UnsyncedFolder {
        lock.lock()
        defer { lock.unlock() }
        folders.formUnion(more)
    }

    func remove(_ folder: Spool.UnsyncedFolder) {
        lock.lock()
        defer { lock.unlock() }
        folders.remove(folder)
    }

    /// Everything pending, leaving nothing behind.
    func takeAll() -> Set<Spool.UnsyncedFolder> {
        lock.lock()
        defer { lock.unlock() }
        let all = folders
        folders = []
        return all
    }

    /// Everything pending, left in place (for tests).
    var all: Set<Spool.UnsyncedFolder> {
        lock.lock()
        defer { lock.unlock() }
        return folders
    }
}
