// SystemCall: the Spool module's one door to the kernel.
//
// Every system call the module makes goes through here, in the swift-system
// manner: each wrapper names its C counterpart, returns Result<_, Errno>, and
// retries EINTR in exactly one place (valueOrErrno). Callers decide which errno
// is a condition (ENOENT: someone else took the file) and which is a failure.
import Glibc

/// An error number from a failed system call. The corresponding C variable is `errno`.
struct Errno: Error, Equatable, CustomStringConvertible {
    let rawValue: Int32
    init(_ rawValue: Int32) { self.rawValue = rawValue }

    static let noEntry = Errno(ENOENT)
    static let exists = Errno(EEXIST)
    static let wouldBlock = Errno(EAGAIN)
    static let symlinkLoop = Errno(ELOOP)
    static let invalid = Errno(EINVAL)
    static let notImplemented = Errno(ENOSYS)
    static let notPermitted = Errno(EPERM)
    static let accessDenied = Errno(EACCES)
    static let crossDevice = Errno(EXDEV)

    /// The text of `strerror(3)`, e.g. "No such file or directory".
    var description: String { String(cString: strerror(rawValue)) }
}

/// Runs `body` until it returns something other than -1 with `EINTR`, the module's one retry rule.
/// Any other -1 becomes the `errno` of that moment.
func valueOrErrno<T: FixedWidthInteger>(retryOnInterrupt: Bool = true, _ body: () -> T) -> Result<T, Errno> {
    while true {
        let value = body()
        if value != -1 { return .success(value) }
        let number = errno
        if number == EINTR && retryOnInterrupt { continue }
        return .failure(Errno(number))
    }
}

/// The kernel calls the spool makes, one thin wrapper each.
enum SystemCall {
    /// Forces `renameNoReplace` onto its link(2)+unlink(2) path, so tests can exercise the
    /// fallback used on file systems without `RENAME_NOREPLACE`.
    static var renameNoReplaceUsesLink = false

    /// The corresponding C function is `open`.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Result<Int32, Errno> {
        valueOrErrno { Glibc.open(path, flags, mode) }
    }

    /// The corresponding C function is `close`. Linux releases the descriptor even when close
    /// reports EINTR, so it is never retried; its errors are of no use to a reader.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Runs `body`, then closes `fd` on every path (swift-system's `closeAfter`).
    static func closeAfter<R>(_ fd: Int32, _ body: () throws -> R) rethrows -> R {
        defer { close(fd) }
        return try body()
    }

    /// The corresponding C function is `read`.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        valueOrErrno { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes every byte, looping over short writes. The corresponding C function is `write`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Result<Void, Errno> {
        bytes.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                switch valueOrErrno({ Glibc.write(fd, all.baseAddress! + offset, all.count - offset) }) {
                case .success(let written): offset += written
                case .failure(let error): return .failure(error)
                }
            }
            return .success(())
        }
    }

    /// The corresponding C function is `fsync`.
    static func fsync(_ fd: Int32) -> Result<Void, Errno> {
        valueOrErrno { Glibc.fsync(fd) }.map { _ in () }
    }

    /// Told the path of every directory `fsyncDirectory` is asked to sync, so tests can see which
    /// folders a settle or a sync makes durable, and in what order.
    static var directorySyncObserver: ((String) -> Void)?

    /// Makes the entries of a directory durable: open it read-only, `fsync`, close.
    static func fsyncDirectory(_ path: String) -> Result<Void, Errno> {
        directorySyncObserver?(path)
        return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC).flatMap { fd in
            closeAfter(fd) { fsync(fd) }
        }
    }

    /// The corresponding C function is `fstat`.
    static func fstat(_ fd: Int32) -> Result<Glibc.stat, Errno> {
        var status = Glibc.stat()
        return valueOrErrno { Glibc.fstat(fd, &status) }.map { _ in status }
    }

    /// Status of the name itself, never of a symlink's target. The corresponding C function is `lstat`.
    static func lstat(_ path: String) -> Result<Glibc.stat, Errno> {
        var status = Glibc.stat()
        return valueOrErrno { Glibc.lstat(path, &status) }.map { _ in status }
    }

    /// Status after following symlinks. The corresponding C function is `stat`.
    static func stat(_ path: String) -> Result<Glibc.stat, Errno> {
        var status = Glibc.stat()
        return valueOrErrno { statFollowing(path, &status) }.map { _ in status }
    }

    /// The corresponding C function is `mkdir`.
    static func mkdir(_ path: String, _ mode: mode_t) -> Result<Void, Errno> {
        valueOrErrno { Glibc.mkdir(path, mode) }.map { _ in () }
    }

    /// The corresponding C function is `chmod`.
    static func chmod(_ path: String, _ mode: mode_t) -> Result<Void, Errno> {
        valueOrErrno { Glibc.chmod(path, mode) }.map { _ in () }
    }

    /// The corresponding C function is `fchmod`.
    static func fchmod(_ fd: Int32, _ mode: mode_t) -> Result<Void, Errno> {
        valueOrErrno { Glibc.fchmod(fd, mode) }.map { _ in () }
    }

    /// The corresponding C function is `unlink`.
    static func unlink(_ path: String) -> Result<Void, Errno> {
        valueOrErrno { Glibc.unlink(path) }.map { _ in () }
    }

    /// Removes an empty directory. The corresponding C function is `rmdir`.
    static func removeDirectory(_ path: String) -> Result<Void, Errno> {
        valueOrErrno { Glibc.rmdir(path) }.map { _ in () }
    }

    /// The corresponding C function is `ftruncate`.
    static func ftruncate(_ fd: Int32, _ length: Int) -> Result<Void, Errno> {
        valueOrErrno { Glibc.ftruncate(fd, off_t(length)) }.map { _ in () }
    }

    /// The corresponding C function is `flock`. `EWOULDBLOCK` (= `EAGAIN`) means someone holds it.
    static func flock(_ fd: Int32, _ operation: Int32) -> Result<Void, Errno> {
        valueOrErrno { lockFile(fd, operation) }.map { _ in () }
    }

    /// Renames `from` to `to` only if `to` does not exist; `EEXIST` otherwise. Never overwrites.
    /// The corresponding C function is `renameat2` with `RENAME_NOREPLACE`; where the file system
    /// lacks it, `link` (which refuses an existing name atomically) and then `unlink`. The fallback
    /// cannot move directories, and a crash between its two steps leaves the file under both names
    /// (processed twice, never lost).
    static func renameNoReplace(_ from: String, _ to: String) -> Result<Void, Errno> {
        if !renameNoReplaceUsesLink, let renameat2 = renameat2Entry {
            switch valueOrErrno({ renameat2(AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */) }) {
            case .success: return .success(())
            case .failure(.invalid), .failure(.notImplemented): break  // no flag support here: fall back
            case .failure(let error): return .failure(error)
            }
        }
        return valueOrErrno { Glibc.link(from, to) }.flatMap { _ in unlink(from) }
    }

    /// `renameNoReplace` for a source path given as bytes (a name that is not valid UTF-8 cannot
    /// be spelt through a String).
    static func renameNoReplace(fromBytes from: [UInt8], _ to: String) -> Result<Void, Errno> {
        let source = from.map { CChar(bitPattern: $0) } + [0]
        if !renameNoReplaceUsesLink, let renameat2 = renameat2Entry {
            switch valueOrErrno({ renameat2(AT_FDCWD, source, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */) }) {
            case .success: return .success(())
            case .failure(.invalid), .failure(.notImplemented): break
            case .failure(let error): return .failure(error)
            }
        }
        return valueOrErrno { Glibc.link(source, to) }.flatMap { _ in valueOrErrno { Glibc.unlink(source) }.map { _ in () } }
    }

    /// The names in a directory that are not valid UTF-8 (`listDirectory` leaves them out), as bytes.
    static func listUndecodableNames(_ path: String) -> Result<[[UInt8]], Errno> {
        guard let directory = opendir(path) else { return .failure(Errno(errno)) }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                return errno == 0 ? .success(names) : .failure(Errno(errno))
            }
            let bytes: [UInt8] = withUnsafePointer(to: &entry.pointee.d_name) { raw in
                raw.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { p in
                    var out: [UInt8] = []
                    var i = 0
                    while p[i] != 0 { out.append(p[i]); i += 1 }
                    return out
                }
            }
            if String(validating: bytes, as: UTF8.self) == nil { names.append(bytes) }
        }
    }

    /// Names in a directory, without `.` and `..`. A name that is not valid UTF-8 is left out:
    /// it cannot be a record name and could not be spelt back to the kernel through a String.
    /// The corresponding C functions are `opendir`, `readdir` and `closedir`.
    static func listDirectory(_ path: String) -> Result<[String], Errno> {
        guard let directory = opendir(path) else { return .failure(Errno(errno)) }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                return errno == 0 ? .success(names) : .failure(Errno(errno))
            }
            let name: String? = withUnsafePointer(to: &entry.pointee.d_name) { raw in
                raw.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(validatingCString: $0)
                }
            }
            if let name, name != ".", name != ".." { names.append(name) }
        }
    }

    /// The corresponding C function is `inotify_init1`, non-blocking and close-on-exec.
    static func inotifyInit() -> Result<Int32, Errno> {
        valueOrErrno { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
    }

    /// The corresponding C function is `inotify_add_watch`.
    static func inotifyAddWatch(_ fd: Int32, _ path: String, _ mask: UInt32) -> Result<Int32, Errno> {
        valueOrErrno { inotify_add_watch(fd, path, mask) }
    }

    /// A pipe whose ends are non-blocking and close-on-exec. The corresponding C functions are
    /// `pipe` and `fcntl` (`pipe2` is not visible to Swift).
    static func pipe() -> Result<(read: Int32, write: Int32), Errno> {
        var ends: [Int32] = [-1, -1]
        return valueOrErrno { Glibc.pipe(&ends) }.flatMap { _ in
            for fd in ends {
                _ = valueOrErrno { fcntl(fd, F_SETFD, FD_CLOEXEC) }
                _ = valueOrErrno { fcntl(fd, F_SETFL, O_NONBLOCK) }
            }
            return .success((ends[0], ends[1]))
        }
    }

    /// The corresponding C function is `poll`. Returns the number of ready descriptors.
    static func poll(_ fds: inout [pollfd], timeoutMilliseconds: Int32) -> Result<Int32, Errno> {
        let count = nfds_t(fds.count)
        return fds.withUnsafeMutableBufferPointer { buffer in
            valueOrErrno { Glibc.poll(buffer.baseAddress, count, timeoutMilliseconds) }
        }
    }
}

private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32

/// glibc (2.28+) exports `renameat2`, but its declaration is hidden from Swift behind _GNU_SOURCE,
/// so the symbol is looked up once at run time.
private let renameat2Entry: RenameAt2? = {
    guard let symbol = dlsym(nil, "renameat2") else { return nil }
    return unsafeBitCast(symbol, to: RenameAt2.self)
}()

// Inside `SystemCall`, `stat` and `flock` name its own methods, and `Glibc.stat(...)` /
// `Glibc.flock(...)` resolve to the structs of those names; at file scope the C functions win.
private func statFollowing(_ path: String, _ status: inout Glibc.stat) -> Int32 { stat(path, &status) }
private func lockFile(_ fd: Int32, _ operation: Int32) -> Int32 { flock(fd, operation) }
