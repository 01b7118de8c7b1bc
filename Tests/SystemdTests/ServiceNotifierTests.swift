// ServiceNotifier against a real datagram socket standing in for systemd's notify socket.
import Foundation
import XCTest
@testable import Systemd

final class ServiceNotifierTests: XCTestCase {
    private var fd: Int32 = -1
    private var path = ""

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "sg-notify-\(getpid())-\(UUID().uuidString.prefix(8))"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, String(cString: strerror(errno)))
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setenv("NOTIFY_SOCKET", path, 1)
    }

    override func tearDown() {
        unsetenv("NOTIFY_SOCKET")
        unsetenv("WATCHDOG_USEC")
        unsetenv("WATCHDOG_PID")
        close(fd)
        unlink(path)
    }

    private func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        return count < 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }

    func testSendsExactAssignments() throws {
        let notifier = ServiceNotifier()
        XCTAssertTrue(notifier.isEnabled)
        XCTAssertTrue(try notifier.notify(.ready, .status("监视 3 个规则集\n第二行\0尾")))
        XCTAssertEqual(receive(), "READY=1\nSTATUS=监视 3 个规则集 第二行尾")
        try notifier.notify(.watchdog)
        XCTAssertEqual(receive(), "WATCHDOG=1")
        try notifier.notify(.stopping)
        XCTAssertEqual(receive(), "STOPPING=1")
        try notifier.notify(.status("%s %n"))
        XCTAssertEqual(receive(), "STATUS=%s %n")
        try notifier.notify(.extendTimeout(.milliseconds(1500)))
        XCTAssertEqual(receive(), "EXTEND_TIMEOUT_USEC=1500000")
    }

    func testReloadingCarriesTheMonotonicClock() throws {
        var before = timespec(), after = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        try ServiceNotifier().notify(.reloading)
        clock_gettime(CLOCK_MONOTONIC, &after)
        let message = try XCTUnwrap(receive())
        let lines = message.split(separator: "\n")
        XCTAssertEqual(lines.first, "RELOADING=1")
        XCTAssertEqual(lines.count, 2)
        let usec = try XCTUnwrap(UInt64(lines[1].dropFirst("MONOTONIC_USEC=".count)), message)
        XCTAssertTrue(lines[1].hasPrefix("MONOTONIC_USEC="))
        XCTAssertGreaterThanOrEqual(usec, UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec) / 1_000)
        XCTAssertLessThanOrEqual(usec, UInt64(after.tv_sec) * 1_000_000 + UInt64(after.tv_nsec) / 1_000)
    }

    func testNoOpWithoutNotifySocket() throws {
        unsetenv("NOTIFY_SOCKET")
        let notifier = ServiceNotifier()
        XCTAssertFalse(notifier.isEnabled)
        XCTAssertFalse(try notifier.notify(.ready))
    }

    func testRefusingSocketThrows() throws {
        setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1)
        XCTAssertThrowsError(try ServiceNotifier().notify(.ready)) { error in
            XCTAssertEqual(error as? SystemCallError, SystemCallError(function: "sd_notify", errno: .noSuchFileOrDirectory))
        }
    }

    func testWatchdogInterval() {
        XCTAssertNil(ServiceNotifier().watchdogInterval)
        setenv("WATCHDOG_USEC", "30000000", 1)
        setenv("WATCHDOG_PID", String(getpid()), 1)
        XCTAssertEqual(ServiceNotifier().watchdogInterval, .seconds(30))
        setenv("WATCHDOG_PID", String(getpid() + 1), 1)  // meant for another process
        XCTAssertNil(ServiceNotifier().watchdogInterval)
    }
}
