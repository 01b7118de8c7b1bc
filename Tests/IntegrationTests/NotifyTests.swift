// NotifyTests: what the daemon tells systemd through $NOTIFY_SOCKET (a socket the test plays
// the service manager on): READY=1, STATUS=, WATCHDOG=1, RELOADING=1 … READY=1, STOPPING=1.
import Foundation
import Glibc
import XCTest

/// A unix datagram socket standing in for systemd's notify socket.
final class NotifySocket {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Every datagram that arrives within `seconds`, in order.
    func receive(for seconds: Double) -> [String] {
        var messages: [String] = []
        let deadline = Date(timeIntervalSinceNow: seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count > 0 { messages.append(String(decoding: buffer[..<count], as: UTF8.self)) }
        }
        return messages
    }
}

final class NotifyTests: XCTestCase {
    func testTellsTheServiceManagerReadyStatusWatchdogReloadAndStop() throws {
        let scene = try Scene("notify")
        defer { scene.remove() }
        let manager = try NotifySocket(path: scene.root + "/notify")
        let daemon = try DaemonProcess(scene, environment: ["NOTIFY_SOCKET": manager.path, "WATCHDOG_USEC": "1000000"])
        defer { daemon.stop() }

        try scene.drop(scene.record("departure-overcapacity", id: "\(scene.station)-1"), name: "dep.json")
        var messages = manager.receive(for: 3)
        let ready = try XCTUnwrap(messages.firstIndex { $0.split(separator: "\n").contains("READY=1") }, "\(messages)")
        XCTAssertTrue(messages[ready].contains("STATUS="), "READY=1 comes with a status")
        XCTAssertTrue(messages.contains { $0.contains("WATCHDOG=1") }, "watchdog pinged at half of WATCHDOG_USEC")
        let status = try XCTUnwrap(messages.last { $0.contains("STATUS=") })
        for part in ["records processed", "waiting", "rules ", "journal ok"] {
            XCTAssertTrue(status.contains(part), "\(part) in \(status)")
        }
        XCTAssertTrue(messages.contains { $0.contains("STATUS=1 records processed") }, "the dropped record is counted: \(messages)")

        kill(daemon.pid, SIGHUP)
        messages = manager.receive(for: 2)
        let reloading = try XCTUnwrap(messages.firstIndex { $0.hasPrefix("RELOADING=1") }, "\(messages)")
        XCTAssertTrue(messages[reloading].contains("MONOTONIC_USEC="))
        XCTAssertTrue(messages[(reloading + 1)...].contains { $0.split(separator: "\n").contains("READY=1") }, "READY=1 after the reload")

        kill(daemon.pid, SIGTERM)
        messages = manager.receive(for: 2)
        XCTAssertTrue(messages.contains { $0.contains("STOPPING=1") }, "\(messages)")
        XCTAssertEqual(daemon.stop(), 0)
    }
}
