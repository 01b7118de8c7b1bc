// Journal at the unit seam: the send is replaced, journald's socket paths point elsewhere.
import Foundation
import XCTest
@testable import Systemd

final class JournalTests: XCTestCase {
    /// What a substitute `sd_journal_sendv` saw: each call's iovecs as byte strings.
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var calls: [[[UInt8]]] = []
        var returns: Int32 = 0

        var seen: [[[UInt8]]] { lock.withLock { calls } }

        func sendv(_ iov: UnsafePointer<iovec>, _ count: Int32) -> Int32 {
            let entry = (0..<Int(count)).map { index in
                Array(UnsafeRawBufferPointer(start: iov[index].iov_base, count: iov[index].iov_len))
            }
            return lock.withLock {
                calls.append(entry)
                return returns
            }
        }
    }

    /// A path holding a real (unlistened) socket file, like the one a dead journald leaves.
    static func staleSocket(type: Int32 = Int32(SOCK_DGRAM.rawValue)) throws -> String {
        let path = NSTemporaryDirectory() + "sg-stale-\(getpid())-\(UUID().uuidString.prefix(8))"
        let fd = socket(AF_UNIX, type, 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        return path
    }

    func testSendsEachFieldAsOneIovecByteForByte() throws {
        let recorder = Recorder()
        let journal = Journal(socketPath: try Self.staleSocket(), varlinkPath: "/nonexistent", sendv: { recorder.sendv($0, $1) })
        try journal.send([.message("行1\n%s%n"), JournalField("SG_EMPTY", ""), JournalField("SG_BIN", bytes: [0, 0xff, 10])])
        XCTAssertEqual(recorder.seen, [[
            Array("MESSAGE=行1\n%s%n".utf8), Array("SG_EMPTY=".utf8), Array("SG_BIN=".utf8) + [0, 0xff, 10],
        ]])
    }

    func testEmptyEntryIsRefusedWithoutCallingC() throws {
        let recorder = Recorder()
        let journal = Journal(socketPath: try Self.staleSocket(), varlinkPath: "/nonexistent", sendv: { recorder.sendv($0, $1) })
        XCTAssertThrowsError(try journal.send([])) { error in
            XCTAssertEqual(error as? JournalError, .failed(function: "sd_journal_sendv", errno: .invalidArgument))
        }
        XCTAssertTrue(recorder.seen.isEmpty)
    }

    func testMissingSocketIsUnavailableAndNothingIsSent() {
        let recorder = Recorder()
        let journal = Journal(socketPath: "/nonexistent/socket", varlinkPath: "/nonexistent", sendv: { recorder.sendv($0, $1) })
        XCTAssertFalse(journal.isAvailable)
        XCTAssertThrowsError(try journal.send([.message("lost")])) { error in
            XCTAssertEqual(error as? JournalError, .unavailable(.noSuchFileOrDirectory))
        }
        XCTAssertTrue(recorder.seen.isEmpty, "libsystemd would have returned 0 and dropped the entry")
    }

    func testRegularFileWhereTheSocketShouldBeIsUnavailable() throws {
        let path = NSTemporaryDirectory() + "sg-notsock-\(getpid())"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let journal = Journal(socketPath: path, varlinkPath: "/nonexistent", sendv: { _, _ in 0 })
        XCTAssertThrowsError(try journal.send([.message("x")])) { error in
            XCTAssertEqual(error as? JournalError, .unavailable(.notSocket))
        }
    }

    func testNegativeReturnsMapToErrno() throws {
        let cases: [(Int32, JournalError)] = [
            (-ECONNREFUSED, .unavailable(.connectionRefused)),
            (-ENOENT, .unavailable(.noSuchFileOrDirectory)),
            (-EINVAL, .failed(function: "sd_journal_sendv", errno: .invalidArgument)),
            (-EAGAIN, .failed(function: "sd_journal_sendv", errno: .resourceTemporarilyUnavailable)),
        ]
        let path = try Self.staleSocket()
        for (returned, expected) in cases {
            let recorder = Recorder()
            recorder.returns = returned
            let journal = Journal(socketPath: path, varlinkPath: "/nonexistent", sendv: { recorder.sendv($0, $1) })
            XCTAssertThrowsError(try journal.send([.message("x")])) { error in
                XCTAssertEqual(error as? JournalError, expected, "return \(returned)")
            }
        }
    }

    func testSynchronizeWithoutJournaldIsUnavailable() throws {
        let missing = Journal(socketPath: "/nonexistent", varlinkPath: "/nonexistent/io.systemd.journal", sendv: { _, _ in 0 })
        XCTAssertThrowsError(try missing.synchronize()) { error in
            XCTAssertEqual(error as? JournalError, .unavailable(.noSuchFileOrDirectory))
        }
        let stale = Journal(
            socketPath: "/nonexistent", varlinkPath: try Self.staleSocket(type: Int32(SOCK_STREAM.rawValue)),
            sendv: { _, _ in 0 })
        XCTAssertThrowsError(try stale.synchronize()) { error in
            XCTAssertEqual(error as? JournalError, .unavailable(.connectionRefused))
        }
    }

    func testErrorsSayWhatFailed() {
        XCTAssertEqual(JournalError.unavailable(.connectionRefused).description,
                       "journald unavailable: /run/systemd/journal/socket: Connection refused (errno 111)")
        XCTAssertEqual(JournalError.failed(function: "sd_journal_sendv", errno: .invalidArgument).description,
                       "sd_journal_sendv: Invalid argument (errno 22)")
    }
}
