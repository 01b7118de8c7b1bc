// Claiming from new/ (the trust boundary) and settling in done/ or quarantine/.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class ClaimSettleTests: XCTestCase {
    override func tearDown() {
        SystemCall.renameNoReplaceUsesLink = false
    }

    func testClaimThenSettleDoneRoundTrip() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", "A.json", #"{"kind":"ticket_check"}"#)
        let claimed = try fixture.spool.claim("A.json")
        XCTAssertEqual(claimed?.name, "A.json")
        XCTAssertEqual(bytes(of: claimed), Array(#"{"kind":"ticket_check"}"#.utf8))
        XCTAssertEqual(fixture.listing("new"), [])
        XCTAssertEqual(fixture.listing("cur"), ["A.json"])

        let settled = try fixture.spool.settle(try XCTUnwrap(claimed), verdict: .done(date: "2026-03-29"))
        XCTAssertEqual(settled, fixture.path("done", "2026-03-29/A.json"))
        XCTAssertEqual(fixture.contents(settled), #"{"kind":"ticket_check"}"#)
        XCTAssertEqual(fixture.listing("cur"), [])
        XCTAssertEqual(fixture.mode(fixture.path("done", "2026-03-29")), 0o750)
    }

    func testClaimThenSettleQuarantineWritesTheReasonBeside() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", "B.json", "{not json")
        let claimed = try XCTUnwrap(try fixture.spool.claim("B.json"))
        let settled = try fixture.spool.settle(claimed, verdict: .quarantine(reason: "B.json:1:2: expected a string key"))
        XCTAssertEqual(settled, fixture.path("quarantine", "B.json"))
        XCTAssertEqual(fixture.listing("quarantine"), ["B.json", "B.json.reason"])
        XCTAssertEqual(fixture.contents(settled), "{not json")
        XCTAssertEqual(fixture.contents(settled + ".reason"), "B.json:1:2: expected a string key\n")
        XCTAssertEqual(fixture.listing("cur"), [])
    }

    func testClaimOfANameNoLongerWaitingIsNil() throws {
        let fixture = try SpoolFixture()
        XCTAssertNil(try fixture.spool.claim("gone.json"))
        fixture.put("new", "A.json", "{}")
        XCTAssertNotNil(try fixture.spool.claim("A.json"))
        XCTAssertNil(try fixture.spool.claim("A.json"), "a second claim of the same name must find nothing")
    }

    func testClaimRefusesNamesThatAreNotRecordNamesAndMovesNothing() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", ".hidden.json", "{}")
        fixture.put("new", "C.json.part", "{}")
        fixture.put("new", "notes.txt", "{}")
        fixture.put("", "outside.json", "{}")
        for name in [".hidden.json", "C.json.part", "notes.txt", "../outside.json", ""] {
            XCTAssertThrowsError(try fixture.spool.claim(name), name) { error in
                XCTAssertEqual((error as? SpoolError)?.reason, .malformedName, name)
            }
        }
        XCTAssertEqual(fixture.listing("new"), [".hidden.json", "C.json.part", "notes.txt"])
        XCTAssertEqual(fixture.listing("cur"), [])
    }

    func testSymlinkToAFileOutsideIsQuarantinedWithoutBeingFollowed() throws {
        let fixture = try SpoolFixture()
        let secret = fixture.base + "/secret.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: secret, contents: Data(#"{"secret":1}"#.utf8)))
        XCTAssertEqual(symlink(secret, fixture.path("new", "link.json")), 0)

        let claimed = try fixture.spool.claim("link.json")
        XCTAssertEqual(refusal(of: claimed),
                       "the spool accepts only regular files, and this is a symbolic link; it was not followed")
        try fixture.spool.settle(try XCTUnwrap(claimed), verdict: .quarantine(reason: refusal(of: claimed) ?? ""))
        // The link itself moved (still a link, still pointing outside); its target is untouched.
        XCTAssertEqual(fixture.kind(fixture.path("quarantine", "link.json")), S_IFLNK)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.path("quarantine", "link.json")), secret)
        XCTAssertEqual(fixture.contents(secret), #"{"secret":1}"#)
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "link.json.reason")),
                       "the spool accepts only regular files, and this is a symbolic link; it was not followed\n")
    }

    func testSymlinkToAFIFOOutsideNeitherBlocksNorIsFollowed() throws {
        let fixture = try SpoolFixture()
        let pipe = fixture.base + "/outside.fifo"
        XCTAssertEqual(mkfifo(pipe, 0o600), 0)
        XCTAssertEqual(symlink(pipe, fixture.path("new", "trap.json")), 0)
        let claimed = try claimWithin(seconds: 5, fixture.spool, "trap.json")
        XCTAssertEqual(refusal(of: claimed).map { $0.contains("symbolic link") }, true)
    }

    func testFIFOIsQuarantinedWithoutBlocking() throws {
        let fixture = try SpoolFixture()
        XCTAssertEqual(mkfifo(fixture.path("new", "pipe.json"), 0o600), 0)
        let claimed = try claimWithin(seconds: 5, fixture.spool, "pipe.json")
        XCTAssertEqual(refusal(of: claimed), "the spool accepts only regular files, and this is a named pipe (FIFO); it was not opened")
        try fixture.spool.settle(try XCTUnwrap(claimed), verdict: .quarantine(reason: "not a regular file"))
        XCTAssertEqual(fixture.kind(fixture.path("quarantine", "pipe.json")), S_IFIFO)
    }

    func testDeviceIsQuarantinedWithoutBeingOpened() throws {
        let fixture = try SpoolFixture()
        // /dev/null's numbers (1, 3); needs CAP_MKNOD.
        guard mknod(fixture.path("new", "dev.json"), S_IFCHR | 0o600, dev_t(1 << 8 | 3)) == 0 else {
            throw XCTSkip("mknod not permitted here (errno \(errno))")
        }
        let claimed = try fixture.spool.claim("dev.json")
        XCTAssertEqual(refusal(of: claimed), "the spool accepts only regular files, and this is a character device; it was not opened")
    }

    func testDirectoryWithARecordNameIsQuarantined() throws {
        let fixture = try SpoolFixture()
        XCTAssertEqual(mkdir(fixture.path("new", "dir.json"), 0o700), 0)
        let claimed = try fixture.spool.claim("dir.json")
        XCTAssertEqual(refusal(of: claimed), "the spool accepts only regular files, and this is a directory")
        try fixture.spool.settle(try XCTUnwrap(claimed), verdict: .quarantine(reason: "not a regular file"))
        XCTAssertEqual(fixture.kind(fixture.path("quarantine", "dir.json")), S_IFDIR)
    }

    func testSizeLimitIsInclusiveAndALargerFileIsRefused() throws {
        let fixture = try SpoolFixture(sizeLimit: 1024)
        fixture.put("new", "fits.json", String(repeating: "x", count: 1024))
        fixture.put("new", "over.json", String(repeating: "x", count: 1025))
        XCTAssertEqual(bytes(of: try fixture.spool.claim("fits.json"))?.count, 1024)
        XCTAssertEqual(refusal(of: try fixture.spool.claim("over.json")),
                       "the file is 1025 bytes, over the spool's limit of 1024 bytes; it was not read")
    }

    func testAbsurdSizeLimitsAreClamped() throws {
        let fixture = try SpoolFixture(sizeLimit: Int.max)
        XCTAssertEqual(fixture.spool.sizeLimit, 1 << 30)
        XCTAssertEqual(try Spool(root: fixture.root, sizeLimit: -5).sizeLimit, 0)
        fixture.put("new", "A.json", "{}")
        XCTAssertEqual(bytes(of: try fixture.spool.claim("A.json")), Array("{}".utf8))
    }

    func testHugeFileIsRefusedWithoutBeingRead() throws {
        let fixture = try SpoolFixture()
        // A sparse 8 GiB file: reading it would take seconds and gigabytes; refusing it takes neither.
        let huge = fixture.path("new", "huge.json")
        let fd = open(huge, O_WRONLY | O_CREAT, 0o600)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(ftruncate(fd, 8 << 30), 0)
        close(fd)
        let started = Date()
        let claimed = try fixture.spool.claim("huge.json")
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.0)
        XCTAssertEqual(refusal(of: claimed),
                       "the file is 8589934592 bytes, over the spool's limit of 1048576 bytes; it was not read")
        let settled = try fixture.spool.settle(try XCTUnwrap(claimed), verdict: .quarantine(reason: "too large"))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: settled)[.size] as? Int, 8 << 30)
    }

    func testEmptyFileIsReadAsNoBytes() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", "empty.json", "")
        XCTAssertEqual(bytes(of: try fixture.spool.claim("empty.json")), [])
    }

    func testWorkLeftInCurIsFoundAndProcessedAgain() throws {
        let fixture = try SpoolFixture()
        fixture.put("cur", "left.json", #"{"a":1}"#)
        let reopened = try Spool(root: fixture.root)
        XCTAssertEqual(try reopened.unfinished(), ["left.json"])
        let resumed = try reopened.resume("left.json")
        XCTAssertEqual(bytes(of: resumed), Array(#"{"a":1}"#.utf8))
        try reopened.settle(try XCTUnwrap(resumed), verdict: .done(date: "2026-03-29"))
        XCTAssertEqual(try reopened.unfinished(), [])
        XCTAssertEqual(fixture.listing("done/2026-03-29"), ["left.json"])
        XCTAssertNil(try reopened.resume("left.json"))
    }

    /// The claim mark names this very file in cur/: the same when it is read again after a
    /// crash, another for a later file of the same name and bytes; letters only (journal text
    /// masks digit runs that look like ID numbers).
    func testClaimMarkIsStableForTheFileAndNewForAResubmission() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", "M.json", "{not json")
        let claimed = try XCTUnwrap(try fixture.spool.claim("M.json"))
        XCTAssertFalse(claimed.mark.isEmpty)
        XCTAssertTrue(claimed.mark.allSatisfy { $0 == "-" || ("a"..."p").contains($0) }, claimed.mark)
        let reopened = try Spool(root: fixture.root)
        XCTAssertEqual(try reopened.resume("M.json")?.mark, claimed.mark)
        try reopened.settle(claimed, verdict: .quarantine(reason: "not JSON"))
        fixture.put("new", "M.json", "{not json")
        let again = try XCTUnwrap(try reopened.claim("M.json"))
        XCTAssertNotEqual(again.mark, claimed.mark)
        XCTAssertEqual(try fixture.spool.resume("M.json")?.mark, again.mark)
        // A FIFO (refused unopened) has a mark too.
        XCTAssertEqual(mkfifo(fixture.path("new", "F.json"), 0o644), 0)
        XCTAssertFalse(try XCTUnwrap(try fixture.spool.claim("F.json")).mark.isEmpty)
    }

    func testTwinArrivingWhileTheFirstIsInCurWaitsInNew() throws {
        let fixture = try SpoolFixture()
        fixture.put("cur", "A.json", "first")
        fixture.put("new", "A.json", "second")
        XCTAssertNil(try fixture.spool.claim("A.json"), "the twin must not replace the unsettled record")
        XCTAssertEqual(fixture.contents(fixture.path("cur", "A.json")), "first")
        XCTAssertEqual(fixture.contents(fixture.path("new", "A.json")), "second")
        XCTAssertEqual(try fixture.spool.scan(), ["A.json"])

        let first = try XCTUnwrap(try fixture.spool.resume("A.json"))
        try fixture.spool.settle(first, verdict: .done(date: "2026-03-29"))
        let second = try fixture.spool.claim("A.json")
        XCTAssertEqual(bytes(of: second), Array("second".utf8))
        try fixture.spool.settle(try XCTUnwrap(second), verdict: .done(date: "2026-03-29"))
        XCTAssertEqual(fixture.listing("done/2026-03-29"), ["A.json", "A~2.json"])
        XCTAssertEqual(fixture.contents(fixture.path("done", "2026-03-29/A.json")), "first")
        XCTAssertEqual(fixture.contents(fixture.path("done", "2026-03-29/A~2.json")), "second")
    }

    func testNameClashInDoneTakesTheNextNumberAndOverwritesNothing() throws {
        let fixture = try SpoolFixture()
        for copy in 1...3 {
            fixture.put("new", "A.json", "copy \(copy)")
            let claimed = try XCTUnwrap(try fixture.spool.claim("A.json"))
            try fixture.spool.settle(claimed, verdict: .done(date: "2026-03-29"))
        }
        XCTAssertEqual(fixture.listing("done/2026-03-29"), ["A.json", "A~2.json", "A~3.json"])
        XCTAssertEqual(fixture.contents(fixture.path("done", "2026-03-29/A.json")), "copy 1")
        XCTAssertEqual(fixture.contents(fixture.path("done", "2026-03-29/A~3.json")), "copy 3")
    }

    func testNameClashInQuarantineKeepsEachRecordWithItsOwnReason() throws {
        let fixture = try SpoolFixture()
        for copy in 1...2 {
            fixture.put("new", "A.json", "copy \(copy)")
            let claimed = try XCTUnwrap(try fixture.spool.claim("A.json"))
            try fixture.spool.settle(claimed, verdict: .quarantine(reason: "reason \(copy)"))
        }
        XCTAssertEqual(fixture.listing("quarantine"), ["A.json", "A.json.reason", "A~2.json", "A~2.json.reason"])
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "A.json")), "copy 1")
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "A.json.reason")), "reason 1\n")
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "A~2.json")), "copy 2")
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "A~2.json.reason")), "reason 2\n")
    }

    func testOrphanReasonFromACrashIsNeitherOverwrittenNorReused() throws {
        let fixture = try SpoolFixture()
        fixture.put("quarantine", "A.json.reason", "orphan\n")
        fixture.put("new", "A.json", "record")
        let claimed = try XCTUnwrap(try fixture.spool.claim("A.json"))
        let settled = try fixture.spool.settle(claimed, verdict: .quarantine(reason: "fresh"))
        XCTAssertEqual(settled, fixture.path("quarantine", "A~2.json"))
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "A.json.reason")), "orphan\n")
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "A~2.json.reason")), "fresh\n")
    }

    func testMalformedDayIsRefusedAndTheRecordStaysInCur() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", "A.json", "{}")
        let claimed = try XCTUnwrap(try fixture.spool.claim("A.json"))
        for day in ["../../etc", "2026-13-01", "2026-03-32", "2026-3-29", "20260329", "2026-03-29/x", "", "2026-00-10"] {
            XCTAssertThrowsError(try fixture.spool.settle(claimed, verdict: .done(date: day)), day) { error in
                XCTAssertEqual((error as? SpoolError)?.reason, .malformedDate, day)
            }
        }
        XCTAssertEqual(fixture.listing("cur"), ["A.json"])
        XCTAssertEqual(fixture.listing("done"), [])
    }

    /// The day folder is made once, not for each record; removed by hand meanwhile, it is
    /// made again by the next settle, which still files its record (and a record that really
    /// vanished is still told apart).
    func testADayFolderRemovedByHandIsMadeAgainByTheNextSettle() throws {
        let fixture = try SpoolFixture()
        for name in ["A.json", "B.json", "C.json"] { fixture.put("new", name, "{}") }
        let a = try XCTUnwrap(try fixture.spool.claim("A.json"))
        try fixture.spool.settle(a, verdict: .done(date: "2026-10-01"))
        XCTAssertEqual(unlink(fixture.path("done", "2026-10-01/A.json")), 0)
        XCTAssertEqual(rmdir(fixture.path("done", "2026-10-01")), 0)
        let b = try XCTUnwrap(try fixture.spool.claim("B.json"))
        XCTAssertEqual(try fixture.spool.settle(b, verdict: .done(date: "2026-10-01")), fixture.path("done", "2026-10-01/B.json"))
        XCTAssertEqual(fixture.mode(fixture.path("done", "2026-10-01")).map { $0 & 0o7777 }, 0o750)
        let c = try XCTUnwrap(try fixture.spool.claim("C.json"))
        XCTAssertEqual(unlink(fixture.path("cur", "C.json")), 0)
        XCTAssertThrowsError(try fixture.spool.settle(c, verdict: .done(date: "2026-10-01"))) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: fixture.path("cur", "C.json"), reason: .vanished))
        }
        XCTAssertEqual(fixture.listing("done"), ["2026-10-01"])
    }

    func testSettlingARecordThatVanishedFromCurThrowsAndLeavesNoReason() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", "A.json", "{}")
        let claimed = try XCTUnwrap(try fixture.spool.claim("A.json"))
        XCTAssertEqual(unlink(fixture.path("cur", "A.json")), 0)
        XCTAssertThrowsError(try fixture.spool.settle(claimed, verdict: .quarantine(reason: "bad"))) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: fixture.path("cur", "A.json"), reason: .vanished))
        }
        XCTAssertEqual(fixture.listing("quarantine"), [])
    }

    func testDayIsTakenOnTheStationsCalendar() throws {
        let evening = Date(timeIntervalSince1970: 1_774_805_400)  // 2026-03-29 17:30:00 UTC
        XCTAssertEqual(Spool.day(of: evening, in: try XCTUnwrap(TimeZone(identifier: "Asia/Shanghai"))), "2026-03-30")
        XCTAssertEqual(Spool.day(of: evening, in: try XCTUnwrap(TimeZone(identifier: "UTC"))), "2026-03-29")
        XCTAssertEqual(Spool.day(of: Date(timeIntervalSince1970: 0), in: try XCTUnwrap(TimeZone(identifier: "UTC"))), "1970-01-01")
    }

    func testWithoutRenameNoReplaceTheLinkFallbackAlsoNeverOverwrites() throws {
        SystemCall.renameNoReplaceUsesLink = true
        let fixture = try SpoolFixture()
        fixture.put("cur", "A.json", "first")
        fixture.put("new", "A.json", "second")
        XCTAssertNil(try fixture.spool.claim("A.json"))
        XCTAssertEqual(fixture.contents(fixture.path("cur", "A.json")), "first")
        for _ in 1...2 {
            let claimed = try XCTUnwrap(try fixture.spool.resume("A.json") ?? fixture.spool.claim("A.json"))
            try fixture.spool.settle(claimed, verdict: .quarantine(reason: "r"))
        }
        XCTAssertEqual(fixture.listing("quarantine"), ["A.json", "A.json.reason", "A~2.json", "A~2.json.reason"])
        XCTAssertEqual(fixture.contents(fixture.path("quarantine", "A~2.json")), "second")
        XCTAssertEqual(fixture.listing("new") + fixture.listing("cur"), [])
    }

    /// Claims on another thread and fails (instead of hanging the suite) if it blocks.
    private func claimWithin(seconds: Double, _ spool: Spool, _ name: String) throws -> ClaimedRecord? {
        let done = DispatchSemaphore(value: 0)
        let outcome = Shared<Result<ClaimedRecord?, Error>>(.success(nil))
        Thread.detachNewThread {
            outcome.value = Result { try spool.claim(name) }
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else {
            XCTFail("claiming \(name) blocked for \(seconds) s")
            return nil
        }
        return try outcome.value.get()
    }
}
