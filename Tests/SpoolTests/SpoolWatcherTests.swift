// inotify hints on new/, with real inotify, and the decoding seam for overflow.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class SpoolWatcherTests: XCTestCase {
    func testRenameIntoNewGivesTheName() throws {
        let fixture = try SpoolFixture()
        let watcher = try SpoolWatcher(spool: fixture.spool)
        fixture.put("tmp", "x", "{}")
        XCTAssertEqual(rename(fixture.path("tmp", "x"), fixture.path("new", "A.json")), 0)
        XCTAssertEqual(try watcher.wait(timeout: 5), .names(["A.json"]))
    }

    func testInPlaceWriteGivesTheNameOnlyWhenClosed() throws {
        let fixture = try SpoolFixture()
        let watcher = try SpoolWatcher(spool: fixture.spool)
        let fd = open(fixture.path("new", "B.json"), O_WRONLY | O_CREAT, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(write(fd, "{\"half\":", 8), 8)
        XCTAssertEqual(try watcher.wait(timeout: 0.3), .timeout, "no hint while the writer still has it open")
        XCTAssertEqual(write(fd, "1}", 2), 2)
        close(fd)
        XCTAssertEqual(try watcher.wait(timeout: 5), .names(["B.json"]))
    }

    func testEventsForIgnoredNamesGiveNoHint() throws {
        let fixture = try SpoolFixture()
        let watcher = try SpoolWatcher(spool: fixture.spool)
        for name in [".C.json.Ab12Cd", "C.json.part", "notes.txt"] { fixture.put("new", name, "{}") }
        XCTAssertEqual(rename(fixture.path("new", "C.json.part"), fixture.path("new", "C.json")), 0)
        XCTAssertEqual(try watcher.wait(timeout: 5), .names(["C.json"]))
        XCTAssertEqual(try watcher.wait(timeout: 0.2), .timeout)
    }

    func testTimeoutWhenNothingArrives() throws {
        let fixture = try SpoolFixture()
        let watcher = try SpoolWatcher(spool: fixture.spool)
        let started = Date()
        XCTAssertEqual(try watcher.wait(timeout: 0.25), .timeout)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.24)
    }

    func testWakeInterruptsAWaitFromAnotherThread() throws {
        let fixture = try SpoolFixture()
        let watcher = try SpoolWatcher(spool: fixture.spool)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.2)
            watcher.wake()
        }
        let started = Date()
        XCTAssertEqual(try watcher.wait(timeout: 30), .woken)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(try watcher.wait(timeout: 0.1), .timeout, "one wake, one .woken")
    }

    func testWakeBeforeWaitIsNotLost() throws {
        let fixture = try SpoolFixture()
        let watcher = try SpoolWatcher(spool: fixture.spool)
        watcher.wake()
        watcher.wake()
        XCTAssertEqual(try watcher.wait(timeout: 30), .woken)
    }

    func testRealQueueOverflowAsksForARescan() throws {
        let fixture = try SpoolFixture()
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        guard limit > 0 && limit <= 100_000 else { throw XCTSkip("max_queued_events is \(limit)") }
        let watcher = try SpoolWatcher(spool: fixture.spool)
        for number in 0..<(limit + 10) {
            let fd = open(fixture.path("new", "f\(number).json"), O_WRONLY | O_CREAT, 0o600)
            XCTAssertGreaterThanOrEqual(fd, 0)
            close(fd)  // one IN_CLOSE_WRITE each: more than the queue holds
        }
        let hint = try watcher.wait(timeout: 5)
        if case .names(let names) = hint {
            XCTFail("expected .rescan, got \(names.count) names")  // the full list would drown the log
        } else {
            XCTAssertEqual(hint, .rescan)
        }
        XCTAssertEqual(try fixture.spool.scan().count, limit + 10, "the rescan finds every file")
    }

    func testLosingNewAsksForARescanAndWatchesItAgain() throws {
        let fixture = try SpoolFixture()
        let watcher = try SpoolWatcher(spool: fixture.spool)
        XCTAssertEqual(rename(fixture.path("new"), fixture.base + "/old-new"), 0)
        XCTAssertEqual(try watcher.wait(timeout: 5), .rescan)
        _ = try Spool(root: fixture.root)  // recreates new/
        XCTAssertEqual(try watcher.wait(timeout: 5), .rescan, "watching the new folder again")
        fixture.put("tmp", "x", "{}")
        XCTAssertEqual(rename(fixture.path("tmp", "x"), fixture.path("new", "E.json")), 0)
        XCTAssertEqual(try watcher.wait(timeout: 5), .names(["E.json"]))
    }

    // MARK: - The decoding seam

    /// Builds the kernel's `struct inotify_event` layout: wd, mask, cookie, len, NUL-padded name.
    private func event(_ mask: Int32, _ name: String? = nil, wd: Int32 = 1) -> [UInt8] {
        var nameBytes: [UInt8] = name.map { Array($0.utf8) + [0] } ?? []
        while nameBytes.count % 16 != 0 { nameBytes.append(0) }
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        var record: [UInt8] = le(wd)
        record += le(UInt32(bitPattern: mask))
        record += le(UInt32(0))  // cookie
        record += le(UInt32(nameBytes.count))
        return record + nameBytes
    }

    private func hint(_ buffer: [UInt8]) -> SpoolWatcher.Hint {
        buffer.withUnsafeBytes { SpoolWatcher.hint(for: SpoolWatcher.Batch(events: SpoolWatcher.decode($0)), watch: 1) }
    }

    func testDecodedOverflowWinsOverNames() {
        XCTAssertEqual(hint(event(IN_MOVED_TO, "A.json") + event(IN_Q_OVERFLOW, wd: -1)), .rescan)
        XCTAssertEqual(hint(event(IN_Q_OVERFLOW, wd: -1)), .rescan)
    }

    func testDecodedNamesAreRecordNamesInOrderWithoutRepeats() {
        let buffer = event(IN_CLOSE_WRITE, "B.json") + event(IN_MOVED_TO, ".B.json.x1") + event(IN_MOVED_TO, "A.json")
            + event(IN_CLOSE_WRITE, "B.json") + event(IN_CLOSE_WRITE, "A.json.part")
        XCTAssertEqual(hint(buffer), .names(["B.json", "A.json"]))
    }

    func testDecodedLossOfTheWatchAsksForARescan() {
        XCTAssertEqual(hint(event(IN_DELETE_SELF) + event(IN_IGNORED)), .rescan)
        XCTAssertEqual(hint(event(IN_MOVE_SELF)), .rescan)
    }

    func testEventsOfAnOldWatchAreNotHints() {
        XCTAssertEqual(hint(event(IN_MOVED_TO, "A.json", wd: 7) + event(IN_IGNORED, wd: 7)), .names([]))
    }

    func testTruncatedEventIsDroppedNotTrusted() {
        let whole = event(IN_MOVED_TO, "A.json") + event(IN_MOVED_TO, "B.json")
        XCTAssertEqual(hint(Array(whole.dropLast(3))), .names(["A.json"]))
        XCTAssertEqual(hint(Array(whole.prefix(10))), .names([]))
    }
}
