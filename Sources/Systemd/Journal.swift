// Journal: sends entries to journald and asks it to store what it has received.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSystemd
import Foundation

/// The systemd journal, for writing: one entry per `send`.
///
/// Sending does not wait for journald to store the entry; `synchronize()` does, and only a
/// `JournalReader` reading the entry back proves it is stored.
public struct Journal: Sendable {
    /// journald's datagram socket; libsystemd sends here and nowhere else.
    public static let socketPath = "/run/systemd/journal/socket"
    /// journald's varlink socket (`io.systemd.Journal.*` calls).
    public static let varlinkPath = "/run/systemd/journal/io.systemd.journal"

    /// The unit seam (as swift-system's `system_` calls): tests replace the socket paths and
    /// the C send so they can play journald's part without a journald.
    internal let socketPath: String
    internal let varlinkPath: String
    internal let sendv: @Sendable (UnsafePointer<iovec>, Int32) -> Int32

    /// The machine's journald.
    public init() {
        self.init(socketPath: Self.socketPath, varlinkPath: Self.varlinkPath, sendv: { sd_journal_sendv($0, $1) })
    }

    internal init(
        socketPath: String, varlinkPath: String,
        sendv: @escaping @Sendable (UnsafePointer<iovec>, Int32) -> Int32
    ) {
        self.socketPath = socketPath
        self.varlinkPath = varlinkPath
        self.sendv = sendv
    }

    // MARK: - API

    /// Whether journald's socket exists. A stale socket left by a dead journald still counts
    /// here; `send` then reports `.unavailable(.connectionRefused)`.
    ///
    /// The corresponding C function is `lstat`.
    public var isAvailable: Bool { checkSocket() == nil }

    /// Hands one entry to journald.
    ///
    /// Values go as bytes in iovecs, never through a format string. Returning means journald's
    /// socket accepted the datagram, not that the entry is stored (see `synchronize()`).
    /// Blocks while journald's socket queue is full (a stalled journald): see `JournalWriter`.
    /// The corresponding C function is `sd_journal_sendv`.
    ///
    /// - Parameter fields: the entry; names were checked when the fields were made.
    /// - Throws: `JournalError.unavailable` when journald is not there (libsystemd would return
    ///   success and drop the entry when the socket is missing); `JournalError.failed` otherwise.
    public func send(_ fields: [JournalField]) throws(JournalError) {
        // libsystemd refuses an empty entry with EINVAL; say so without touching C.
        guard !fields.isEmpty else { throw JournalError.failed(function: "sd_journal_sendv", errno: .invalidArgument) }
        if let missing = checkSocket() { throw JournalError.unavailable(missing) }
        // One buffer holds every "NAME=value"; the iovecs point into it.
        var buffer = [UInt8]()
        var ranges = [Range<Int>]()
        buffer.reserveCapacity(fields.reduce(0) { $0 + $1.name.utf8.count + 1 + $1.value.count })
        for field in fields {
            let start = buffer.count
            buffer.append(contentsOf: field.name.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer.append(contentsOf: field.value)
            ranges.append(start..<buffer.count)
        }
        let returned = buffer.withUnsafeMutableBytes { bytes -> Int32 in
            let iovecs = ranges.map { range in
                iovec(iov_base: bytes.baseAddress! + range.lowerBound, iov_len: range.count)
            }
            return iovecs.withUnsafeBufferPointer { sendv($0.baseAddress!, Int32($0.count)) }
        }
        if case .failure(let error) = Errno.result(returned) {
            throw Self.classify(error, function: "sd_journal_sendv")
        }
    }

    /// Waits until journald has stored every entry sent to it before the call, so that a
    /// `JournalReader` opened (or re-read) afterwards sees them.
    ///
    /// Calls `io.systemd.Journal.Synchronize` on journald's varlink socket, as
    /// `journalctl --sync` does. That socket is root's only (mode 0600).
    ///
    /// - Parameter timeout: how long to wait for journald's answer.
    /// - Throws: `JournalError.unavailable` when journald is not there, `.refused` when it
    ///   answers with an error, `.failed` for a socket error (`EACCES` when not root,
    ///   `EAGAIN` on timeout).
    public func synchronize(timeout: Duration = .seconds(30)) throws(JournalError) {
        try VarlinkCall(path: varlinkPath, timeout: timeout)
            .call(method: "io.systemd.Journal.Synchronize")
    }

    // MARK: - Internals

    /// `nil` when a socket is at `socketPath`, else why journald counts as unavailable.
    private func checkSocket() -> Errno? {
        var status = stat()
        if lstat(socketPath, &status) != 0 { return Errno.current }
        return (status.st_mode & S_IFMT) == S_IFSOCK ? nil : .notSocket
    }

    /// Sorts an errno into "journald is not there" and everything else.
    internal static func classify(_ error: Errno, function: String) -> JournalError {
        switch error {
        case .noSuchFileOrDirectory, .connectionRefused, .notSocket: return .unavailable(error)
        default: return .failed(function: function, errno: error)
        }
    }
}
