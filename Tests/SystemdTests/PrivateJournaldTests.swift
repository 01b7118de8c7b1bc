// journald going away, coming back and stalling: only inside scripts/private-journald, whose
// journald these tests may stop (`scripts/private-journald swift test --filter SystemdTests`).
import Foundation
import XCTest
@testable import Systemd

final class PrivateJournaldTests: XCTestCase {
    override func setUpWithError() throws {
        guard TestSupport.privateJournald != nil else {
            throw XCTSkip("needs a private journald: scripts/private-journald swift test --filter SystemdTests")
        }
        try TestSupport.requireJournald()
    }

    private func control(_ command: String) throws {
        let script = TestSupport.scripts.appendingPathComponent("private-journald").path
        let result = try TestSupport.run(script, [command])
        XCTAssertEqual(result.status, 0, "private-journald \(command): \(result.output)")
    }

    func testOutageIsDetectedAndRecoveredFrom() throws {
        let tag = TestSupport.uniqueTag()
        func entry(_ text: String) -> [JournalField] { [.message(text), JournalField("SG_TEST_RUN", tag)] }
        try Journal().send(entry("before"))

        try control("stop")
        var restarted = false
        defer { if !restarted { try? control("start") } }
        // journald leaves its socket file behind: libsystemd gets ECONNREFUSED.
        XCTAssertTrue(Journal().isAvailable, "the stale socket file is still there")
        XCTAssertThrowsError(try Journal().send(entry("while stopped"))) { error in
            XCTAssertEqual(error as? JournalError, .unavailable(.connectionRefused))
        }
        XCTAssertThrowsError(try Journal().synchronize()) { error in
            XCTAssertEqual(error as? JournalError, .unavailable(.connectionRefused))
        }
        // Without the socket file libsystemd would report success and drop the entry.
        XCTAssertEqual(unlink(Journal.socketPath), 0)
        XCTAssertFalse(Journal().isAvailable)
        XCTAssertThrowsError(try Journal().send(entry("no socket"))) { error in
            XCTAssertEqual(error as? JournalError, .unavailable(.noSuchFileOrDirectory))
        }

        try control("start")
        restarted = true
        try Journal().send(entry("after"))
        XCTAssertEqual(try TestSupport.readBack(tag: tag).compactMap { $0["MESSAGE"] }, ["before", "after"])
    }

    /// A stalled journald blocks sd_journal_sendv once its socket queue is full; the writer's
    /// thread takes the block, the caller carries on, and nothing is lost after the stall.
    func testStalledJournaldBlocksOnlyTheWriterThread() throws {
        let tag = TestSupport.uniqueTag()
        let writer = JournalWriter(capacity: 5)
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var handedOver = 0
            func add(_ report: JournalWriter.Report) { lock.withLock { handedOver += report.handedOver } }
            var value: Int { lock.withLock { handedOver } }
        }
        let count = Count()

        try control("stall")
        var resumed = false
        defer { if !resumed { try? control("resume") } }
        var accepted = 0, refused = 0
        let elapsed = ContinuousClock().measure {
            for index in 0..<100 {
                do {
                    try writer.submit([[.message("stall \(index)"), JournalField("SG_TEST_RUN", tag)]]) { count.add($0) }
                    accepted += 1
                } catch {
                    refused += 1
                }
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        XCTAssertLessThan(elapsed, .seconds(3), "submit waited for the stalled journald")
        XCTAssertGreaterThan(refused, 0, "the bounded queue filled up")
        XCTAssertNotNil(writer.sendingSince, "the writer thread is blocked in sd_journal_sendv")
        let handedDuringStall = count.value
        // net.unix.max_dgram_qlen datagrams fit in the socket (10 here): then the send blocks.
        XCTAssertLessThanOrEqual(handedDuringStall, 20)
        print("stall: accepted \(accepted), refused \(refused), handed over before resume \(handedDuringStall)")

        try control("resume")
        resumed = true
        XCTAssertTrue(writer.waitUntilIdle(timeout: .seconds(30)))
        XCTAssertEqual(count.value, accepted)
        XCTAssertEqual(try TestSupport.readBack(tag: tag).count, accepted)
    }
}
