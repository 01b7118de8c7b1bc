// Plates, ID numbers, dates, timestamps and SHA-256: the small parsers other modules reuse.
import XCTest
@testable import Records

final class NationalIDNumberTests: XCTestCase {
    func testCatalogueExamplesAreValid() {
        for id in ["370101190102039973", "11010519491231002X", "440106198503124219", "440304199207013568"] {
            XCTAssertNil(NationalIDNumber.problem(in: id), id)
        }
    }

    func testCheckCharacterArithmetic() {
        // S22's worked example: 37010119010203997 → weighted sum 189, 189 mod 11 = 2 → "3".
        XCTAssertEqual(NationalIDNumber.checkCharacter(forFirst17: "37010119010203997"), "3")
        XCTAssertEqual(NationalIDNumber.checkCharacter(forFirst17: "11010519491231002"), "X")
        XCTAssertNil(NationalIDNumber.checkCharacter(forFirst17: "1101051949123100"))
    }

    func testRefusals() {
        let cases: [(String, String)] = [
            ("440106198503124218", "check character is 8, GB 11643 requires 9"),
            ("11010519491231002x", "the check character must be an upper-case X"),
            ("4401061985031242", "has 16 characters, not 18"),
            ("44010619850312421Y", "the last character must be a digit or X"),
            ("44010A198503124219", "the first 17 characters must be digits"),
            // 1999 is not a leap year; check character computed for these 17 digits, so only the date is wrong.
            ("44010619990229421" + String(NationalIDNumber.checkCharacter(forFirst17: "44010619990229421")!),
             "birth date 19990229 is not a real date"),
        ]
        for (id, expected) in cases { XCTAssertEqual(NationalIDNumber.problem(in: id), expected, id) }
        // 2000 was a leap year (divisible by 400), so 20000229 is a real birth date.
        let leap = "11010520000229001"
        XCTAssertNil(NationalIDNumber.problem(in: leap + String(NationalIDNumber.checkCharacter(forFirst17: leap)!)))
    }

    func testMaskingKeepsFirstSixAndLastFour() {
        XCTAssertEqual(NationalIDNumber.masked("440106198503124219"), "440106********4219")
        XCTAssertEqual(NationalIDNumber.masked("11010519491231002X"), "110105********002X")
        XCTAssertEqual(NationalIDNumber.masked("12345"), "*****")
        XCTAssertEqual(NationalIDNumber.birthDate(of: "440106198503124219"), CalendarDate(year: 1985, month: 3, day: 12))
    }
}

final class PlateNumberTests: XCTestCase {
    func testNormalisation() {
        let cases: [(String, String?)] = [
            ("粤A12345", "粤A12345"), ("粤A·12345", "粤A12345"), ("粤A 12345", "粤A12345"), ("粤A•12345", "粤A12345"),
            ("湘A8K27X", "湘A8K27X"),
            ("湘A8K27", nil), // the catalogue prose example has 4 serial characters; its regex wants 5
            ("粤AD12345", "粤AD12345"), ("粤A12345D", "粤A12345D"), ("粤A·AF1234", nil),
            ("粤AF12345", "粤AF12345"), ("京B 12345F", "京B12345F"),
            ("粤I12345", nil), ("粤A1234O", nil), ("粤A1234", nil), ("粤A123456", nil), ("粤a12345", nil),
            ("港A12345", nil), ("粤A· 12345", nil), (" 粤A12345", nil), ("粤A12345 ", nil), ("粤AD1234A", nil),
        ]
        for (written, expected) in cases { XCTAssertEqual(PlateNumber.normalise(written), expected, written) }
    }
}

final class TimeTests: XCTestCase {
    func testTimestamps() throws {
        let t = try XCTUnwrap(RFC3339Timestamp.parse("2026-10-01T06:42:10+08:00"))
        XCTAssertEqual(t.secondsSinceEpoch, 1_790_808_130)
        XCTAssertEqual(t.offsetSeconds, 28_800)
        XCTAssertEqual(t.localDate, CalendarDate(year: 2026, month: 10, day: 1))
        XCTAssertEqual(t.date(atOffsetSeconds: 0), CalendarDate(year: 2026, month: 9, day: 30))
        XCTAssertEqual(t.description, "2026-10-01T06:42:10+08:00")
        XCTAssertEqual(t.date(atOffsetSeconds: -25_327), CalendarDate(year: 2026, month: 9, day: 30))
        XCTAssertEqual(t.date(atOffsetSeconds: Int.max), CalendarDate(year: 9999, month: 12, day: 31), "clamped, no trap")

        let f = try XCTUnwrap(RFC3339Timestamp.parse("2000-02-29T00:00:00.5Z"))
        XCTAssertEqual(f.secondsSinceEpoch, 951_782_400)
        XCTAssertEqual(f.nanoseconds, 500_000_000)
        let neg = try XCTUnwrap(RFC3339Timestamp.parse("1969-12-31T23:59:59-00:30"))
        XCTAssertEqual(neg.secondsSinceEpoch, 1799)
        XCTAssertEqual(neg.offsetSeconds, -1800)
        XCTAssertEqual(RFC3339Timestamp.parse("2026-10-01T07:42:10+09:00"), t, "same instant, other offset")

        for bad in ["2026-10-01T06:42:10", "2026-10-01", "2026-10-01 06:42:10+08:00", "2026-10-01t06:42:10z",
                    "2026-02-29T00:00:00Z", "2026-10-01T24:00:00Z", "2026-10-01T23:59:60Z", "2026-10-01T06:42:10+0800",
                    "2026-10-01T06:42:10.Z", "2026-10-01T06:42:10.1234567890Z", "2026-10-01T06:42:10+08:00 ", "２026-10-01T06:42:10Z"] {
            XCTAssertNil(RFC3339Timestamp.parse(bad), bad)
        }
    }

    func testCalendarDates() {
        XCTAssertEqual(CalendarDate.parse("2024-02-29"), CalendarDate(year: 2024, month: 2, day: 29))
        for bad in ["2026-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-1-01", "2026/01/01", "0000-01-01"] {
            XCTAssertNil(CalendarDate.parse(bad), bad)
        }
        XCTAssertNotNil(CalendarDate.parse("2000-02-29"))
        XCTAssertEqual(CalendarDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch, 0)
        XCTAssertEqual(CalendarDate(year: 2026, month: 10, day: 1)!.daysSinceEpoch, 20_727)
        XCTAssertEqual(CalendarDate(daysSinceEpoch: 20_727), CalendarDate(year: 2026, month: 10, day: 1))
        XCTAssertEqual(CalendarDate(daysSinceEpoch: -1), CalendarDate(year: 1969, month: 12, day: 31))
        XCTAssertEqual(CalendarDate(daysSinceEpoch: Int.max), CalendarDate(year: 9999, month: 12, day: 31))
        XCTAssertEqual(CalendarDate(daysSinceEpoch: Int.min), CalendarDate(year: 1, month: 1, day: 1))
        XCTAssertEqual(CalendarDate(year: 1, month: 1, day: 1)!.daysSinceEpoch, -719_162)
        XCTAssertLessThan(CalendarDate.parse("2026-09-30")!, CalendarDate.parse("2026-10-01")!)
    }
}

final class SHA256Tests: XCTestCase {
    func testKnownVectors() {
        // FIPS 180-4 examples and a multi-block message (checked with Python's hashlib).
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(bytes("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1000)),
                       "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
