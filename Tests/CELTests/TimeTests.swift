// TimeTests: timestamp and duration text, formatting, ranges and calendar fields.

import XCTest
@testable import CEL

/// Timestamps and durations: RFC 3339 and Go duration text, formatting, ranges, calendar
/// fields in fixed offsets and IANA zones.
final class TimeTests: XCTestCase {

    private func ts(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> CELTimestamp? {
        if case .timestamp(let t) = CELTime.parseTimestamp(text) { return t }
        return nil
    }

    func testParseTimestamp() {
        XCTAssertEqual(ts("1970-01-01T00:00:00Z"), CELTimestamp(seconds: 0))
        XCTAssertEqual(ts("2026-11-29T08:00:00+08:00"), CELTimestamp(seconds: 1_795_910_400))
        XCTAssertEqual(ts("2009-02-13T23:31:30.123456789Z"), CELTimestamp(seconds: 1_234_567_890, nanos: 123_456_789))
        XCTAssertEqual(ts("2009-02-13T23:31:30.5Z"), CELTimestamp(seconds: 1_234_567_890, nanos: 500_000_000))
        XCTAssertEqual(ts("0001-01-01T00:00:00Z"), CELTimestamp(seconds: CELTime.minSeconds))
        XCTAssertEqual(ts("9999-12-31T23:59:59.999999999Z"), CELTimestamp(seconds: CELTime.maxSeconds, nanos: 999_999_999))
        XCTAssertEqual(ts("2024-02-29T00:00:00Z"), CELTimestamp(seconds: 1_709_164_800))
        for bad in ["2023-02-29T00:00:00Z", "2009-02-13 23:31:30Z", "2009-02-13t23:31:30z", "2009-02-13T23:31:60Z",
                    "2009-02-13T24:00:00Z", "2009-02-13T23:31:30", "2009-02-13T23:31:30.Z", "2009-2-13T23:31:30Z",
                    "0000-12-31T23:59:59Z", "2009-02-13T23:31:30+8:00", ""] {
            XCTAssertNil(ts(bad), bad)
        }
    }

    func testFormat() {
        XCTAssertEqual(CELTime.format(CELTimestamp(seconds: -1, nanos: 500_000_000)), "1969-12-31T23:59:59.5Z")
        XCTAssertEqual(CELTime.format(CELTimestamp(seconds: CELTime.minSeconds)), "0001-01-01T00:00:00Z")
        XCTAssertEqual(CELTime.format(CELDuration(seconds: -1, nanos: -500_000_000)), "-1.5s")
        XCTAssertEqual(CELTime.format(CELDuration(seconds: 0, nanos: 1)), "0.000000001s")
        XCTAssertEqual(CELTime.format(CELDuration(seconds: 5400)), "5400s")
    }

    func testParseDuration() {
        let table: [(String, CELDuration)] = [
            ("1h30m", CELDuration(seconds: 5400)), ("-1.5s", CELDuration(seconds: -1, nanos: -500_000_000)),
            ("1ms", CELDuration(seconds: 0, nanos: 1_000_000)), ("2us", CELDuration(seconds: 0, nanos: 2000)),
            ("3µs", CELDuration(seconds: 0, nanos: 3000)), ("0", CELDuration(seconds: 0)), ("+.5m", CELDuration(seconds: 30)),
            ("315576000000s", CELDuration(seconds: 315_576_000_000)),
        ]
        for (text, want) in table {
            guard case .duration(let d) = CELTime.parseDuration(text) else { XCTFail(text); continue }
            XCTAssertEqual(d, want, text)
        }
        for bad in ["", "1", "h", "1x", "--1s", "1.s5", "315576000001s", "99999999999999999999999999h"] {
            XCTAssertTrue(CELTime.parseDuration(bad).isError, bad)
        }
    }

    /// One parser serves CEL's conversions (Go text) and the tagged encoding (protobuf JSON):
    /// the forms differ only where the two grammars do.
    func testProtoJSONFormIsTheStricterGrammar() {
        func parsesAsTimestamp(_ text: String, _ form: CELTime.TextForm) -> Bool {
            if case .timestamp = CELTime.parseTimestamp(text, form: form) { return true }
            return false
        }
        XCTAssertTrue(parsesAsTimestamp("2009-02-13t23:31:30z", .protoJSON))
        XCTAssertFalse(parsesAsTimestamp("2009-02-13t23:31:30z", .go))
        XCTAssertTrue(parsesAsTimestamp("2009-02-13T23:31:30.1234567891Z", .go))
        XCTAssertFalse(parsesAsTimestamp("2009-02-13T23:31:30.1234567891Z", .protoJSON))
        for text in ["1h", "+1s", "1.s", "0", "1.5", "1.1234567891s", "1s1s"] {
            XCTAssertTrue(CELTime.parseDuration(text, form: .protoJSON).isError, text)
        }
        guard case .duration(let d) = CELTime.parseDuration("-0.5s", form: .protoJSON) else { return XCTFail("-0.5s") }
        XCTAssertEqual(d, CELDuration(seconds: 0, nanos: -500_000_000))
    }

    /// Hosts may build values by hand: formatting prints some instant, never garbage.
    func testFormatHandBuiltValues() {
        XCTAssertEqual(CELTime.format(CELTimestamp(seconds: 1, nanos: -500_000_000)), "1970-01-01T00:00:00.5Z")
        XCTAssertEqual(CELTime.format(CELDuration(seconds: 2, nanos: -500_000_000)), "1.5s")
        XCTAssertEqual(CELTime.format(CELDuration(seconds: Int64.min, nanos: 0)), "-9223372036854775808s")
    }

    func testCalendarFieldsInZones() throws {
        // 2026-11-29T00:00:00Z is a Sunday; in Shanghai it is 08:00 the same day.
        let t = try XCTUnwrap(ts("2026-11-29T00:00:00Z"))
        func field(_ f: CELTime.Field, _ zone: String?) -> Value { CELTime.field(f, of: t, zone: zone) }
        XCTAssertTrue(TaggedValue.matches(field(.hours, "Asia/Shanghai"), expected: .int(8)))
        XCTAssertTrue(TaggedValue.matches(field(.hours, "-05:30"), expected: .int(18)))
        XCTAssertTrue(TaggedValue.matches(field(.date, "-05:30"), expected: .int(28)))
        XCTAssertTrue(TaggedValue.matches(field(.dayOfWeek, nil), expected: .int(0)))
        XCTAssertTrue(TaggedValue.matches(field(.dayOfYear, nil), expected: .int(332)))
        XCTAssertTrue(TaggedValue.matches(field(.month, nil), expected: .int(10)))
        XCTAssertTrue(field(.hours, "Nowhere/Special").isError)
        XCTAssertTrue(field(.hours, "+25:00").isError)
        // Before 1970 and far ends of the range.
        let early = try XCTUnwrap(ts("0001-01-01T00:00:00Z"))
        XCTAssertTrue(TaggedValue.matches(CELTime.field(.fullYear, of: early, zone: nil), expected: .int(1)))
        XCTAssertTrue(TaggedValue.matches(CELTime.field(.dayOfWeek, of: early, zone: nil), expected: .int(1)))
    }

    /// `duration(string(n) + 'h')` takes a shortcut; it must give what the general parser
    /// gives, and leave everything else to it (signs, fractions, other units, too many digits,
    /// out of range, junk).
    func testTheDurationShortcutAgreesWithTheGeneralParser() {
        var texts = ["0", "0h", "00m", "1s", "24h", "90m", "007h", "999999999s", "87660000h", "87661000h",
                     "315576000000s", "999999999h", "1000000000s", "h", "", "1", "1hh", "1h1", "1ms", "+1h", "-1h",
                     "1.5h", "1H", " 1h", "1h ", "1µs", "１h"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let digits = String((0..<Int.random(in: 1...11, using: &generator)).map { _ in "0123456789".randomElement(using: &generator)! })
            texts.append(digits + ["h", "m", "s", "ms", "x", ""].randomElement(using: &generator)!)
        }
        var shortcuts = 0
        for text in texts {
            let general = CELTime.parseAnyDuration(text, form: .go)
            XCTAssertEqual("\(CELTime.parseDuration(text))", "\(general)", text)
            if let simple = CELTime.simpleDuration(text) {
                shortcuts += 1
                XCTAssertEqual("\(simple)", "\(general)", text)
                guard case .duration = general else { return XCTFail("\(text): the shortcut gave a duration, the parser \(general)") }
            }
        }
        XCTAssertGreaterThan(shortcuts, 1_000)
        XCTAssertNil(CELTime.simpleDuration("1.5h"))
        XCTAssertNil(CELTime.simpleDuration("1000000000s"))
    }
}
