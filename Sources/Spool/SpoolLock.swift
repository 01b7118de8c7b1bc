// SpoolLock: one daemon per spool.
//
// flock(2) on ROOT/daemon.lock, held for the daemon's life; the kernel releases it when the
// process dies, so a crash never leaves a stale lock. The holder writes its pid into the file
// so that a refused second daemon can name it. The pid is a courtesy, the flock is the truth.
import Glibc

/// An exclusive hold on a spool; a second holder (any process) is refused.
public final class SpoolLock {
    /// The lock file, `ROOT/daemon.lock`.
    public let path: String
    private var fd: Int32

    /// Takes the spool's lock without waiting.
    /// - Throws: `SpoolError` `.locked(holder:)` when another process (or another `SpoolLock` in
    ///   this one) holds it, naming the holder's pid when known; or a failing system call.
    public init(spool: Spool) throws {
        path = spool.root + "/daemon.lock"
        fd = try SystemCall.open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644).orThrow("open", path)
        do {
            switch SystemCall.flock(fd, LOCK_EX | LOCK_NB) {
            case .success: break
            case .failure(.wouldBlock):
                throw SpoolError(path: path, reason: .locked(holder: SpoolLock.holder(fd)))
            case .failure(let error):
                throw SpoolError.system("flock", path, error)
            }
            let pid = Array("\(getpid())\n".utf8)
            try SystemCall.ftruncate(fd, 0).orThrow("ftruncate", path)
            _ = lseek(fd, 0, SEEK_SET)
            try SystemCall.writeAll(fd, pid).orThrow("write", path)
        } catch {
            SystemCall.close(fd)
            throw error
        }
    }

    /// Gives the lock up (also done when the object goes away or the process ends).
    public func release() {
        guard fd >= 0 else { return }
        SystemCall.close(fd)  // closing the only descriptor drops the flock
        fd = -1
    }

    deinit { release() }

    /// The pid written by the holder, if the file holds one.
    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { raw in
            valueOrErrno { pread(fd, raw.baseAddress, raw.count, 0) }
        }
        guard case .success(let read) = count, read > 0 else { return nil }
        let text = String(decoding: buffer[..<read], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text).flatMap { $0 > 0 ? $0 : nil }
    }
}
