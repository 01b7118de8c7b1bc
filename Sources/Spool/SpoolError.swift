// SpoolError: what can go wrong with the spool itself (not with a record in it).
// A bad record is never an error: it is a `.unacceptable` content or a quarantine verdict.
import Glibc

/// A failure of the spool directory, its lock or its watcher, naming the path involved.
public struct SpoolError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Reason: Equatable, Sendable {
        /// A system call failed; `call` is the C function, `errno` its error number.
        case system(call: String, errno: Int32)
        /// The path exists but is not a directory (a symlinked spool folder is refused too).
        case notADirectory
        /// A spool folder lies on another file system than the spool root, so rename(2) cannot work.
        case notOneFileSystem
        /// The caller passed a name that is not a record name (programmer error; nothing was moved).
        case malformedName
        /// The caller passed a date that is not `YYYY-MM-DD` (programmer error; nothing was moved).
        case malformedDate
        /// `submit` found a record of that name already waiting in new/.
        case nameTaken
        /// `submit` was given more bytes than the spool accepts.
        case tooLarge(size: Int, limit: Int)
        /// A claimed record is no longer in cur/: something other than this daemon moved it.
        case vanished
        /// Another process holds the spool lock; `holder` is its pid when the lock file names one.
        case locked(holder: Int32?)
        /// No free name was found for a settled record after many numbered attempts.
        case noFreeName
    }

    /// The file or folder concerned.
    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    static func system(_ call: String, _ path: String, _ error: Errno) -> SpoolError {
        SpoolError(path: path, reason: .system(call: call, errno: error.rawValue))
    }

    public var description: String {
        switch reason {
        case .system(let call, let number):
            return "\(path): \(call): \(Errno(number))"
        case .notADirectory:
            return "\(path): is not a directory (a spool folder must be a real directory, not a symlink)"
        case .notOneFileSystem:
            return "\(path): is on another file system than the spool root; records move by rename(2), which needs one file system"
        case .malformedName:
            return "\(path): not a record name (a record name is a plain file name ending in .json, not starting with a dot)"
        case .malformedDate:
            return "\(path): not a day folder name of the form YYYY-MM-DD"
        case .nameTaken:
            return "\(path): a record of this name is already waiting in the spool; choose another name"
        case .tooLarge(let size, let limit):
            return "\(path): \(size) bytes is over the spool's limit of \(limit) bytes"
        case .vanished:
            return "\(path): the claimed record is no longer there; something other than this daemon moved it"
        case .locked(let holder?):
            return "\(path): the spool is in use by another stationguard daemon (pid \(holder)); only one daemon may work a spool"
        case .locked(nil):
            return "\(path): the spool is in use by another stationguard daemon; only one daemon may work a spool"
        case .noFreeName:
            return "\(path): no free numbered name left for this record"
        }
    }
}

extension Result where Failure == Errno {
    /// Turns an errno into a `SpoolError` naming the C call and the path.
    func orThrow(_ call: String, _ path: String) throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw SpoolError.system(call, path, error)
        }
    }
}
