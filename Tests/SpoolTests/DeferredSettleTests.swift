// Settling without per-record fsync, and sync() making it durable once per batch.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class DeferredSettleTests: XCTestCase {
    /// Every folder fsynced while the observer is installed, in order.
    private var synced: [String] = []

    override func setUp() {
        synced = []
        SystemCall.directorySyncObserver = { [unowned self] path in synced.append(path) }
    }

    override func tearDown() {
        SystemCall.directorySyncObserver = nil
    }

    private func claim(_ fixture: SpoolFixture, _ name: String, _ text: String = "{}") throws -> ClaimedRecord {
        fixture.put("new", name, text)
        return try XCTUnwrap(try fixture.spool.claim(name), name)
    }

    func testDeferredSettleFilesTheRecordWithoutFsyncingAnyFolder() throws {
        let fixture = try SpoolFixture()
        let claimed = try claim(fixture, "A.json", #"{"kind":"ticket_check"}"#)
        synced = []
        let settled = try fixture.spool.settle(claimed, verdict: .done(date: "2026-03-29"), durability: .deferred)
        XCTAssertEqual(settled, fixture.path("done", "2026-03-29/A.json"))
        XCTAssertEqual(fixture.contents(settled), #"{"kind":"ticket_check"}"#)
        XCTAssertEqual(fixture.listing("cur"), [])
        XCTAssertEqual(fixture.mode(fixture.path("done", "2026-03-29")), 0o750)
        XCTAssertEqual(synced, [], "a deferred done settle must not fsync")
        XCTAssertEqual(fixture.spool.unsynced.all, [.day("2026-03-29"), .done, .cur])
    }

    func testDeferredSettleStillTakesANumberedNameOnAClash() throws {
        let fixture = try SpoolFixture()
        try fixture.spool.settle(try claim(fixture, "A.json", "first"), verdict: .done(date: "2026-03-29"), durability: .deferred)
        let second = try fixture.spool.settle(try claim(fixture, "A.json", "second"), verdict: .done(date: "2026-03-29"),
                                              durability: .deferred)
        XCTAssertEqual(second, fixture.path("done", "2026-03-29/A~2.json"))
        XCTAssertEqual(fixture.contents(fixture.path("done", "2026-03-29/A.json")), "first")
        XCTAssertEqual(fixture.contents(second), "second")
    }

    func testSyncFlushesEachPendingFolderOnceDestinationsBeforeCurThenForgetsThem() throws {
        let fixture = try SpoolFixture()
        XCTAssertEqual(mkdir(fixture.path("done", "2026-03-28"), 0o750), 0)  // exists already: done/ not pending for it
        try fixture.spool.settle(try claim(fixture, "A.json"), verdict: .done(date: "2026-03-29"), durability: .deferred)
        try fixture.spool.settle(try claim(fixture, "B.json"), verdict: .done(date: "2026-03-28"), durability: .deferred)
        try fixture.spool.settle(try claim(fixture, "C.json"), verdict: .done(date: "2026-03-29"), durability: .deferred)
        try fixture.spool.settle(try claim(fixture, "D.json"), verdict: .quarantine(reason: "bad"), durability: .deferred)
        synced = []
        try fixture.spool.sync()
        XCTAssertEqual(synced, [fixture.path("done", "2026-03-28"), fixture.path("done", "2026-03-29"), fixture.path("done"),
                                fixture.path("quarantine"), fixture.path("cur")])
        XCTAssertEqual(fixture.spool.unsynced.all, [])

        synced = []
        try fixture.spool.sync()
        XCTAssertEqual(synced, [], "nothing pending: sync does nothing")
    }

    func testCopiesOfASpoolShareWhatIsPending() throws {
        let fixture = try SpoolFixture()
        let settler = fixture.spool  // the daemon's settler thread holds a copy
        try settler.settle(try claim(fixture, "A.json"), verdict: .done(date: "2026-03-29"), durability: .deferred)
        synced = []
        try fixture.spool.sync()
        XCTAssertEqual(synced, [fixture.path("done", "2026-03-29"), fixture.path("done"), fixture.path("cur")])
        XCTAssertEqual(settler.unsynced.all, [])
    }

    func testImmediateSettleStillFsyncsBeforeReturningAndLeavesNothingPending() throws {
        let fixture = try SpoolFixture()
        let first = try claim(fixture, "A.json"), second = try claim(fixture, "B.json")
        synced = []
        try fixture.spool.settle(first, verdict: .done(date: "2026-03-29"))
        XCTAssertEqual(synced, [fixture.path("done"), fixture.path("done", "2026-03-29"), fixture.path("cur")])
        synced = []
        try fixture.spool.settle(second, verdict: .quarantine(reason: "bad"), durability: .immediate)
        // Once for the reason before the record moves, once for the record, then cur/.
        XCTAssertEqual(synced, [fixture.path("quarantine"), fixture.path("quarantine"), fixture.path("cur")])
        XCTAssertEqual(fixture.spool.unsynced.all, [])
    }

    func testDeferredQuarantineMakesTheReasonDurableBeforeTheRecordMoves() throws {
        let fixture = try SpoolFixture()
        let claimed = try claim(fixture, "B.json", "{not json")
        var seenAtFsync: [(path: String, reasonThere: Bool, recordStillInCur: Bool)] = []
        SystemCall.directorySyncObserver = { path in
            seenAtFsync.append((path, fixture.kind(fixture.path("quarantine", "B.json.reason")) == S_IFREG,
                                fixture.kind(fixture.path("cur", "B.json")) == S_IFREG))
        }
        let settled = try fixture.spool.settle(claimed, verdict: .quarantine(reason: "B.json:1:2: expected a string key"),
                                               durability: .deferred)
        XCTAssertEqual(seenAtFsync.count, 1, "only the reason is fsynced: \(seenAtFsync)")
        XCTAssertEqual(seenAtFsync.first?.path, fixture.path("quarantine"))
        XCTAssertEqual(seenAtFsync.first?.reasonThere, true)
        XCTAssertEqual(seenAtFsync.first?.recordStillInCur, true)
        XCTAssertEqual(fixture.contents(settled), "{not json")
        XCTAssertEqual(fixture.contents(settled + ".reason"), "B.json:1:2: expected a string key\n")
        XCTAssertEqual(fixture.spool.unsynced.all, [.quarantine, .cur])
    }

    func testSyncOfAVanishedDayFolderThrowsNamingItAndForgetsItButNotTheRest() throws {
        let fixture = try SpoolFixture()
        try fixture.spool.settle(try claim(fixture, "A.json"), verdict: .done(date: "2026-03-29"), durability: .deferred)
        try FileManager.default.removeItem(atPath: fixture.path("done", "2026-03-29"))  // an administrator's rm -r
        XCTAssertThrowsError(try fixture.spool.sync()) { error in
            XCTAssertEqual(error as? SpoolError,
                           SpoolError(path: fixture.path("done", "2026-03-29"), reason: .system(call: "fsync", errno: ENOENT)))
        }
        XCTAssertEqual(fixture.spool.unsynced.all, [.done, .cur], "the folders after the failure stay pending")
        synced = []
        try fixture.spool.sync()
        XCTAssertEqual(synced, [fixture.path("done"), fixture.path("cur")])
    }
}
