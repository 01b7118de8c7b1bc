import CivilCalendar
import Foundation
import XCTest

/// CivilCalendar against Foundation's Gregorian calendar, an independent implementation.
final class CivilCalendarTests: XCTestCase {
    private let gregorian: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// Every day from 1900-01-01 to 2100-12-31, both ways, plus month lengths and leap years.
    func testAgreesWithFoundationEveryDay1900To2100() {
        let first = CivilCalendar.daysFromCivil(year: 1900, month: 1, day: 1)
        let last = CivilCalendar.daysFromCivil(year: 2100, month: 12, day: 31)
        XCTAssertEqual(last - first + 1, 73_414)  // 201 × 365 + 49 leap days (1900 and 2100 are not leap years)
        var checked = 0
        for days in first...last {
            let date = Date(timeIntervalSince1970: TimeInterval(days) * 86400)
            let f = gregorian.dateComponents([.year, .month, .day], from: date)
            let (y, m, d) = CivilCalendar.civilFromDays(days)
            guard y == Int64(f.year!), m == Int64(f.month!), d == Int64(f.day!) else {
                return XCTFail("civilFromDays(\(days)) = \(y)-\(m)-\(d), Foundation says \(f)")
            }
            guard CivilCalendar.daysFromCivil(year: y, month: m, day: d) == days else {
                return XCTFail("daysFromCivil(\(y)-\(m)-\(d)) != \(days)")
            }
            if d == 1 {
                let length = gregorian.range(of: .day, in: .month, for: date)!.count
                XCTAssertEqual(CivilCalendar.daysInMonth(year: y, month: m), Int64(length), "\(y)-\(m)")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 73_414)
        for year: Int64 in 1900...2100 {
            let length = gregorian.range(of: .day, in: .year,
                                         for: gregorian.date(from: DateComponents(year: Int(year), month: 6))!)!.count
            XCTAssertEqual(CivilCalendar.isLeapYear(year), length == 366, "\(year)")
        }
    }

    /// The ends of the four-digit years that CEL and Records accept.
    func testExtremes() {
        XCTAssertEqual(CivilCalendar.daysFromCivil(year: 1970, month: 1, day: 1), 0)
        XCTAssertEqual(CivilCalendar.daysFromCivil(year: 1, month: 1, day: 1), -719_162)
        XCTAssertEqual(CivilCalendar.daysFromCivil(year: 9999, month: 12, day: 31), 2_932_896)
        // Foundation's Gregorian calendar switches to Julian before 1582-10-15, so 0001-01-01 is
        // checked against the proleptic constant (RFC 3339 / protobuf's minimum timestamp) instead.
        XCTAssertEqual(CivilCalendar.daysFromCivil(year: 1, month: 1, day: 1) * 86400, -62_135_596_800)
        let end = gregorian.date(from: DateComponents(year: 9999, month: 12, day: 31))!
        XCTAssertEqual(Double(CivilCalendar.daysFromCivil(year: 9999, month: 12, day: 31)) * 86400,
                       end.timeIntervalSince1970)
        XCTAssertTrue(CivilCalendar.civilFromDays(-719_162) == (1, 1, 1))
        XCTAssertTrue(CivilCalendar.civilFromDays(2_932_896) == (9999, 12, 31))
        XCTAssertTrue(CivilCalendar.civilFromDays(-719_163) == (0, 12, 31))  // year 0 exists (1 BC)
        XCTAssertTrue(CivilCalendar.isLeapYear(0))
        XCTAssertFalse(CivilCalendar.isLeapYear(9999))
        XCTAssertEqual(CivilCalendar.daysInMonth(year: 2026, month: 13), 31)  // callers' old default
    }
}
