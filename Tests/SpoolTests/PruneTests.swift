// Retention for done/: which day folders go, which stay, and what is never touched.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class PruneTests: XCTestCase {
    /// Makes done/DATE holding one record.
    private func day(_ fixture: SpoolFixture, _ date: String) {
        XCTAssertEqual(mkdir(fixture.path("done", date), 0o750), 0, date)
        fixture.put("done", date + "/K07-\(date).json", "{}")
    }

    func testRemovesOnlyDayFoldersStrictlyOlderThanTheRetention() throws {
        let fixture = try SpoolFixture()
        for date in ["2026-02-27", "2026-03-01", "2026-02-28", "2026-03-02", "2026-03-31", "2026-04-01"] {
            day(fixture, date)
        }
        let removed = try fixture.spool.prune(olderThan: 30, today: "2026-03-31")
        XCTAssertEqual(removed, [fixture.path("done", "2026-02-27"), fixture.path("done", "2026-02-28")])
        XCTAssertEqual(fixture.listing("done"), ["2026-03-01", "2026-03-02", "2026-03-31", "2026-04-01"])
        XCTAssertEqual(fixture.listing("done/2026-03-01"), ["K07-2026-03-01.json"])

        XCTAssertEqual(try fixture.spool.prune(olderThan: 1, today: "2026-03-31"),
                       [fixture.path("done", "2026-03-01"), fixture.path("done", "2026-03-02")])
        XCTAssertEqual(fixture.listing("done"), ["2026-03-31", "2026-04-01"])
        XCTAssertEqual(try fixture.spool.prune(olderThan: 1, today: "2026-03-31"), [], "a second prune finds nothing")
    }

    func testNeverTouchesTheOtherFolders() throws {
        let fixture = try SpoolFixture()
        day(fixture, "2020-01-01")
        for folder in ["tmp", "new", "cur", "quarantine"] {
            XCTAssertEqual(mkdir(fixture.path(folder, "2020-01-01"), 0o750), 0, folder)
            fixture.put(folder, "2020-01-01/A.json", "{}")
            fixture.put(folder, "A.json", "{}", modified: Date(timeIntervalSince1970: 0))
        }
        XCTAssertEqual(try fixture.spool.prune(olderThan: 1, today: "2026-03-31"), [fixture.path("done", "2020-01-01")])
        for folder in ["tmp", "new", "cur", "quarantine"] {
            XCTAssertEqual(fixture.listing(folder), ["2020-01-01", "A.json"], folder)
            XCTAssertEqual(fixture.listing(folder + "/2020-01-01"), ["A.json"], folder)
        }
    }

    func testIgnoresNamesThatAreNotCalendarDatesAndEntriesThatAreNotFolders() throws {
        let fixture = try SpoolFixture()
        let kept = ["2020-02-30", "2019-02-29", "2020-13-01", "2020-00-10", "20200101", "2020-01-01.old", "notes", ".2020-01-01"]
        for name in kept {
            XCTAssertEqual(mkdir(fixture.path("done", name), 0o750), 0, name)
        }
        fixture.put("done", "2020-01-02", "a file with a date name")
        let outside = fixture.base + "/outside"
        XCTAssertEqual(mkdir(outside, 0o755), 0)
        fixture.put("", "../outside/keep.json", "{}")
        XCTAssertEqual(symlink(outside, fixture.path("done", "2020-01-03")), 0)

        XCTAssertEqual(try fixture.spool.prune(olderThan: 1, today: "2026-03-31"), [])
        XCTAssertEqual(fixture.listing("done"), (kept + ["2020-01-02", "2020-01-03"]).sorted())
        XCTAssertEqual(fixture.contents(outside + "/keep.json"), "{}", "a symlink is never followed")
    }

    func testRetentionOfZeroOrLessKeepsEverything() throws {
        let fixture = try SpoolFixture()
        day(fixture, "2000-01-01")
        for days in [0, -1, Int.min] {
            XCTAssertEqual(try fixture.spool.prune(olderThan: days, today: "2026-03-31"), [], "\(days)")
        }
        XCTAssertEqual(fixture.listing("done"), ["2000-01-01"])
    }

    func testAHugeRetentionKeepsEverythingWithoutOverflowing() throws {
        let fixture = try SpoolFixture()
        day(fixture, "0001-01-01")
        XCTAssertEqual(try fixture.spool.prune(olderThan: Int.max, today: "9999-12-31"), [])
        XCTAssertEqual(try fixture.spool.prune(olderThan: Int.max, today: "0000-01-01"), [])
        XCTAssertEqual(fixture.listing("done"), ["0001-01-01"])
    }

    func testATodayThatIsNotADateThrowsAndRemovesNothing() throws {
        let fixture = try SpoolFixture()
        day(fixture, "2000-01-01")
        for today in ["2026-02-30", "2026/03/31", "yesterday", "", "2026-3-31"] {
            XCTAssertThrowsError(try fixture.spool.prune(olderThan: 1, today: today), today) { error in
                XCTAssertEqual(error as? SpoolError, SpoolError(path: fixture.path("done", today), reason: .malformedDate), today)
            }
        }
        XCTAssertEqual(fixture.listing("done"), ["2000-01-01"])
    }

    func testCountsDaysAcrossLeapDaysAndYearEnds() throws {
        let fixture = try SpoolFixture()
        for date in ["2024-02-28", "2024-02-29", "2023-12-31", "2024-01-01"] { day(fixture, date) }
        XCTAssertEqual(try fixture.spool.prune(olderThan: 1, today: "2024-03-01"),
                       [fixture.path("done", "2023-12-31"), fixture.path("done", "2024-01-01"), fixture.path("done", "2024-02-28")])
        XCTAssertEqual(fixture.listing("done"), ["2024-02-29"])
    }

    func testDayNumbersAgreeWithFoundationsCalendar() throws {
        // Every day from 1999 to 2030 (two leap-year rules, year ends), named by Foundation, counted by us.
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        let start = Date(timeIntervalSince1970: 10_592 * 86_400)  // 1999-01-01
        for offset in 0..<(32 * 366) {
            let name = Spool.day(of: start.addingTimeInterval(Double(offset) * 86_400 + 43_200), in: utc)
            XCTAssertEqual(Spool.dayNumber(name), 10_592 + offset, name)
        }
        XCTAssertEqual(Spool.dayNumber("1970-01-01"), 0)
        XCTAssertEqual(Spool.dayNumber("2000-02-29"), 11_016)
        XCTAssertNil(Spool.dayNumber("1900-02-29"))
        XCTAssertNil(Spool.dayNumber("2023-02-29"))
        XCTAssertNil(Spool.dayNumber("2026-04-31"))
    }

    func testAFolderThatCannotBeEmptiedIsReportedAndTheOthersStillGo() throws {
        let fixture = try SpoolFixture()
        day(fixture, "2026-01-01")
        day(fixture, "2026-01-02")
        XCTAssertEqual(mkdir(fixture.path("done", "2026-01-01/extra"), 0o750), 0)  // not something settle makes
        XCTAssertThrowsError(try fixture.spool.prune(olderThan: 1, today: "2026-03-31")) { error in
            XCTAssertEqual(error as? SpoolError,
                           SpoolError(path: fixture.path("done", "2026-01-01/extra"), reason: .system(call: "unlink", errno: EISDIR)))
        }
        XCTAssertEqual(fixture.listing("done"), ["2026-01-01"])
        XCTAssertEqual(fixture.listing("done/2026-01-01"), ["extra"])
    }

    func testARemovedDayIsNoLongerPendingForSync() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", "A.json", "{}")
        let claimed = try XCTUnwrap(try fixture.spool.claim("A.json"))
        try fixture.spool.settle(claimed, verdict: .done(date: "2026-01-01"), durability: .deferred)
        XCTAssertEqual(try fixture.spool.prune(olderThan: 30, today: "2026-03-31"), [fixture.path("done", "2026-01-01")])
        XCTAssertEqual(fixture.spool.unsynced.all, [.done, .cur])
        XCTAssertNoThrow(try fixture.spool.sync())
    }
}
