// VarlinkCall: one method call, no parameters, over a varlink unix socket (journald's).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// One varlink request and its one reply: `{"method": …}` NUL, then a JSON object NUL.
/// Just enough of https://varlink.org for journald's parameterless calls.
internal struct VarlinkCall {
    let path: String
    let timeout: Duration

    /// Calls `method` and returns when the reply says it succeeded.
    func call(method: String) throws(JournalError) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw JournalError.failed(function: "socket", errno: .current) }
        defer { close(fd) }
        try setTimeouts(fd)
        try connect(fd)
        var request = Array(#"{"method":"\#(method)","parameters":{}}"#.utf8)
        request.append(0)
        try write(fd, request)
        let reply = try readReply(fd)
        let object = (try? JSONSerialization.jsonObject(with: Data(reply))) as? [String: Any]
        guard let object else {
            throw JournalError.refused(method: method, error: "unreadable reply: \(String(decoding: reply, as: UTF8.self))")
        }
        if let error = object["error"] as? String { throw JournalError.refused(method: method, error: error) }
    }

    private func setTimeouts(_ fd: Int32) throws(JournalError) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            if setsockopt(fd, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size)) != 0 {
                throw JournalError.failed(function: "setsockopt", errno: .current)
            }
        }
    }

    private func connect(_ fd: Int32) throws(JournalError) {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw JournalError.failed(function: "connect", errno: .invalidArgument)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let result = Errno.retryingInterrupts {
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Int(Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)))
                }
            }
        }
        if case .failure(let error) = result { throw Journal.classify(error, function: "connect") }
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) throws(JournalError) {
        var sent = 0
        while sent < bytes.count {
            let result = Errno.retryingInterrupts {
                bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            }
            switch result {
            case .success(let count): sent += count
            case .failure(let error): throw JournalError.failed(function: "send", errno: error)
            }
        }
    }

    /// Reads up to the NUL that ends the reply (64 KiB at most: journald's replies are tiny).
    private func readReply(_ fd: Int32) throws(JournalError) -> [UInt8] {
        var reply = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while reply.count < 65_536 {
            let result = Errno.retryingInterrupts {
                chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            }
            switch result {
            case .success(0):
                throw JournalError.failed(function: "recv", errno: .protocolError)
            case .success(let count):
                if let end = chunk[..<count].firstIndex(of: 0) {
                    reply.append(contentsOf: chunk[..<end])
                    return reply
                }
                reply.append(contentsOf: chunk[..<count])
            case .failure(let error):
                throw JournalError.failed(function: "recv", errno: error)
            }
        }
        throw JournalError.failed(function: "recv", errno: .protocolError)
    }
}
