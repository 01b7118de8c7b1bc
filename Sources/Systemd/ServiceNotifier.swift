// ServiceNotifier: tells the service manager (systemd) about start-up, reloads, stops and liveness.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSystemd

/// A state change the service manager is told about (sd_notify(3)'s `NAME=value` assignments).
public enum ServiceState: Hashable, Sendable {
    /// `READY=1`: start-up finished (or a reload finished).
    case ready
    /// `RELOADING=1` with `MONOTONIC_USEC=` (the clock's now, which systemd 253's
    /// `Type=notify-reload` requires and 252 ignores). Send `.ready` when the reload is done.
    case reloading
    /// `STOPPING=1`: shutting down.
    case stopping
    /// `WATCHDOG=1`: still alive; due every `ServiceNotifier.watchdogInterval / 2`.
    case watchdog
    /// `STATUS=…`: one line for `systemctl status`. Newlines become spaces and NULs are
    /// dropped, since either would end or break the assignment.
    case status(String)
    /// `EXTEND_TIMEOUT_USEC=…`: start-up, reload or stop needs this much longer.
    case extendTimeout(Duration)

    /// The assignment as sent.
    internal var assignment: String {
        switch self {
        case .ready: return "READY=1"
        case .reloading:
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return "RELOADING=1\nMONOTONIC_USEC=\(UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000)"
        case .stopping: return "STOPPING=1"
        case .watchdog: return "WATCHDOG=1"
        case .status(let text):
            let line = String(String.UnicodeScalarView(text.unicodeScalars.compactMap { scalar in
                scalar == "\0" ? nil : (scalar == "\n" || scalar == "\r") ? " " : scalar
            }))
            return "STATUS=\(line)"
        case .extendTimeout(let duration): return "EXTEND_TIMEOUT_USEC=\(Self.microseconds(duration))"
        }
    }

    private static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }
}

/// A C call that failed, by name and error number.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The C function, e.g. `sd_notify`.
    public let function: String
    public let errno: Errno

    public var description: String { "\(function): \(errno)" }
}

/// Talks to the service manager through `$NOTIFY_SOCKET`; does nothing when that is unset
/// (started by hand, or a unit that is not `Type=notify`).
public struct ServiceNotifier: Sendable {
    public init() {}

    /// Whether a service manager listens (`$NOTIFY_SOCKET` is set).
    public var isEnabled: Bool { getenv("NOTIFY_SOCKET") != nil }

    /// Sends the states in one datagram, in order.
    ///
    /// The corresponding C function is `sd_notify`.
    /// - Returns: `false` when `$NOTIFY_SOCKET` is unset and nothing was sent.
    /// - Throws: `SystemCallError` when the socket refuses (e.g. `ECONNREFUSED`).
    @discardableResult
    public func notify(_ states: ServiceState...) throws -> Bool { try notify(states) }

    /// Sends the states in one datagram, in order.
    ///
    /// The corresponding C function is `sd_notify`.
    @discardableResult
    public func notify(_ states: [ServiceState]) throws -> Bool {
        let message = states.map(\.assignment).joined(separator: "\n")
        switch Errno.result(sd_notify(0, message)) {
        case .success(let sent): return sent > 0
        case .failure(let error): throw SystemCallError(function: "sd_notify", errno: error)
        }
    }

    /// The watchdog timeout the service manager set for this process (`WatchdogSec=`), or
    /// `nil` when there is none. Ping (`.watchdog`) at half this interval.
    ///
    /// The corresponding C function is `sd_watchdog_enabled`.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard case .success(let enabled) = Errno.result(sd_watchdog_enabled(0, &microseconds)), enabled > 0 else {
            return nil
        }
        return .microseconds(Int64(clamping: microseconds))
    }
}
