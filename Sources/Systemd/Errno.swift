// Errno: a typed error number, and the one place where C results become Swift results.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An error number reported by the system or by libsystemd.
///
/// The corresponding C type is `int` holding an `errno` value (`<errno.h>`).
public struct Errno: RawRepresentable, Error, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The corresponding C error is `ENOENT`.
    public static let noSuchFileOrDirectory = Errno(rawValue: ENOENT)
    /// The corresponding C error is `ECONNREFUSED`.
    public static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    /// The corresponding C error is `EACCES`.
    public static let permissionDenied = Errno(rawValue: EACCES)
    /// The corresponding C error is `EAGAIN`.
    public static let resourceTemporarilyUnavailable = Errno(rawValue: EAGAIN)
    /// The corresponding C error is `EINVAL`.
    public static let invalidArgument = Errno(rawValue: EINVAL)
    /// The corresponding C error is `EINTR`.
    public static let interrupted = Errno(rawValue: EINTR)
    /// The corresponding C error is `ETIMEDOUT`.
    public static let timedOut = Errno(rawValue: ETIMEDOUT)
    /// The corresponding C error is `ENOTSOCK`.
    public static let notSocket = Errno(rawValue: ENOTSOCK)
    /// The corresponding C error is `EPROTO`.
    public static let protocolError = Errno(rawValue: EPROTO)

    /// The C library's text for this number and its symbolic value, e.g. `Connection refused (errno 111)`.
    ///
    /// The corresponding C function is `strerror`.
    public var description: String {
        "\(String(cString: strerror(rawValue))) (errno \(rawValue))"
    }

    /// The value of the calling thread's `errno` right now.
    internal static var current: Errno { Errno(rawValue: errno) }

    /// libsystemd's convention: a negative return is `-errno`, anything else is a result.
    /// Every libsystemd call goes through here, so the rule lives once.
    internal static func result(_ returned: Int32) -> Result<Int32, Errno> {
        returned < 0 ? .failure(Errno(rawValue: -returned)) : .success(returned)
    }

    /// The system-call convention: -1 means "see errno". Retries `EINTR`, the one retry rule.
    internal static func retryingInterrupts(_ call: () -> Int) -> Result<Int, Errno> {
        while true {
            let returned = call()
            if returned != -1 { return .success(returned) }
            let error = Errno.current
            if error != .interrupted { return .failure(error) }
        }
    }
}
