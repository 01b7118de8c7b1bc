// Spool+Place: the one way the spool writes a file (a submitted record, a quarantine reason).
import Foundation
import Glibc

extension Spool {
    /// `.<pid>.<microseconds>.tmp`: distinct per process and moment, so an exclusive create of a
    /// temporary file never meets a leftover from a crash.
    static func temporarySuffix() -> String {
        ".\(getpid()).\(Int(Date().timeIntervalSince1970 * 1e6)).tmp"
    }

    /// Puts `bytes` at `final` all at once: exclusive create of `temporary`, exact `mode` despite
    /// the umask, write, fsync, then rename without replacing. The one way the spool writes a file.
    /// - Returns: false when `final` already exists (the temporary file is removed).
    /// - Throws: `SpoolError` for a failing call; the temporary file is removed, `final` untouched.
    func place(_ bytes: [UInt8], at final: String, via temporary: String, mode: mode_t) throws -> Bool {
        let fd = try SystemCall.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            .orThrow("open", temporary)
        do {
            try SystemCall.closeAfter(fd) {
                try SystemCall.fchmod(fd, mode).orThrow("fchmod", temporary)
                try SystemCall.writeAll(fd, bytes).orThrow("write", temporary)
                try SystemCall.fsync(fd).orThrow("fsync", temporary)
            }
            switch SystemCall.renameNoReplace(temporary, final) {
            case .success:
                return true
            case .failure(.exists):
                _ = SystemCall.unlink(temporary)
                return false
            case .failure(let error):
                throw SpoolError.system("rename", temporary, error)
            }
        } catch {
            _ = SystemCall.unlink(temporary)
            throw error
        }
    }
}
