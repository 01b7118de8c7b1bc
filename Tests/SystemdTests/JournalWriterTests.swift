// JournalWriter with a substitute send that can stall like a journald whose queue is full.
import Foundation
import XCTest
@testable import Systemd

final class JournalWriterTests: XCTestCase {
    /// A send that blocks while `stalled`, records entries, and fails as told.
    final class FakeJournald: @unchecked Sendable {
        let condition = NSCondition()
        var stalled = false
        var failWith: Int32 = 0
        var messages: [String] = []

        func sendv(_ iov: UnsafePointer<iovec>, _ count: Int32) -> Int32 {
            condition.lock()
            defer { condition.unlock() }
            while stalled { condition.wait() }
            if failWith != 0 { return failWith }
            messages.append(String(decoding: UnsafeRawBufferPointer(start: iov[0].iov_base, count: iov[0].iov_len), as: UTF8.self))
            return 0
        }

        func set(stalled: Bool? = nil, failWith: Int32? = nil) {
            condition.lock()
            if let stalled { self.stalled = stalled }
            if let failWith { self.failWith = failWith }
            condition.broadcast()
            condition.unlock()
        }
    }

    final class Reports: @unchecked Sendable {
        let lock = NSLock()
        var all: [JournalWriter.Report] = []
        func add(_ report: JournalWriter.Report) { lock.withLock { all.append(report) } }
        var snapshot: [JournalWriter.Report] { lock.withLock { all } }
    }

    private func writer(_ fake: FakeJournald, capacity: Int) throws -> JournalWriter {
        let journal = Journal(socketPath: try JournalTests.staleSocket(), varlinkPath: "/nonexistent", sendv: { fake.sendv($0, $1) })
        return JournalWriter(journal: journal, capacity: capacity)
    }

    func testStalledJournaldNeverBlocksTheCaller() throws {
        let fake = FakeJournald()
        fake.set(stalled: true)
        let writer = try writer(fake, capacity: 3)
        let reports = Reports()
        let clock = ContinuousClock()
        var refusals: [JournalWriter.Refusal] = []
        let elapsed = clock.measure {
            for batch in 0..<10 {
                do {
                    try writer.submit([[.message("b\(batch) e0")], [.message("b\(batch) e1")]], completion: { reports.add($0) })
                } catch {
                    XCTAssertEqual(error as? JournalWriter.Refusal, .full)
                    refusals.append(.full)
                }
                if batch == 0 { Thread.sleep(forTimeInterval: 0.2) }  // let the thread take batch 0 and block
            }
        }
        XCTAssertLessThan(elapsed, .seconds(1), "submit waited for journald")
        // One batch blocked in the send, three waiting, the other six refused.
        XCTAssertEqual(refusals, Array(repeating: .full, count: 6))
        XCTAssertEqual(writer.waitingBatches, 3)
        XCTAssertNotNil(writer.sendingSince)
        XCTAssertTrue(reports.snapshot.isEmpty)

        fake.set(stalled: false)
        XCTAssertTrue(writer.waitUntilIdle(timeout: .seconds(5)))
        XCTAssertEqual(reports.snapshot.map(\.handedOver), [2, 2, 2, 2])
        XCTAssertTrue(reports.snapshot.allSatisfy(\.isComplete))
        XCTAssertEqual(fake.messages, (0..<4).flatMap { ["MESSAGE=b\($0) e0", "MESSAGE=b\($0) e1"] })
        XCTAssertNil(writer.sendingSince)
    }

    func testUnavailableJournaldStopsTheBatchAndIsReported() throws {
        let fake = FakeJournald()
        fake.set(failWith: -ECONNREFUSED)
        let writer = try writer(fake, capacity: 4)
        let reports = Reports()
        try writer.submit([[.message("a")], [.message("b")]], completion: { reports.add($0) })
        XCTAssertTrue(writer.waitUntilIdle(timeout: .seconds(5)))
        fake.set(failWith: 0)
        try writer.submit([[.message("c")]], completion: { reports.add($0) })
        XCTAssertTrue(writer.waitUntilIdle(timeout: .seconds(5)))
        let all = reports.snapshot
        XCTAssertEqual(all.count, 2)
        XCTAssertEqual(all[0].handedOver, 0)
        XCTAssertEqual(all[0].total, 2)
        XCTAssertEqual(all[0].error, .unavailable(.connectionRefused))
        XCTAssertTrue(all[0].journalUnavailable)
        XCTAssertTrue(all[1].isComplete)
        XCTAssertEqual(fake.messages, ["MESSAGE=c"])
    }

    func testCloseDrainsThenRefuses() throws {
        let fake = FakeJournald()
        let writer = try writer(fake, capacity: 8)
        let reports = Reports()
        for index in 0..<5 { try writer.submit([[.message("\(index)")]], completion: { reports.add($0) }) }
        writer.close()
        XCTAssertThrowsError(try writer.submit([[.message("late")]], completion: { reports.add($0) })) { error in
            XCTAssertEqual(error as? JournalWriter.Refusal, .closed)
        }
        XCTAssertTrue(writer.waitUntilIdle(timeout: .seconds(5)))
        XCTAssertEqual(fake.messages, (0..<5).map { "MESSAGE=\($0)" })
        XCTAssertEqual(reports.snapshot.count, 5)
    }

    /// The real thing: a burst through the writer is all stored.
    func testBurstReachesTheRealJournal() throws {
        try TestSupport.requireJournald()
        let tag = TestSupport.uniqueTag()
        let writer = JournalWriter(capacity: 1_000)
        let reports = Reports()
        for index in 0..<200 {
            try writer.submit([[.message("burst \(index)"), JournalField("SG_TEST_RUN", tag)]], completion: { reports.add($0) })
        }
        XCTAssertTrue(writer.waitUntilIdle(timeout: .seconds(30)))
        XCTAssertEqual(reports.snapshot.filter(\.isComplete).count, 200)
        let stored = try TestSupport.readBack(tag: tag).compactMap { $0["MESSAGE"] }
        XCTAssertEqual(stored, (0..<200).map { "burst \($0)" })
    }
}
