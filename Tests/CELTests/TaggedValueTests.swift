// TaggedValueTests: the tagged JSON codec: round trips, malformed-input paths, comparison, calendar days.

import Foundation
import XCTest
@testable import CEL

final class TaggedValueTests: XCTestCase {

    private func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    private func decode(_ text: String) throws -> Value {
        try TaggedValue.decode(json(text))
    }

    /// JSON text of `encode(v)`, keys sorted, for whole-output comparison.
    private func encoded(_ v: Value) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: TaggedValue.encode(v), options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: decode → encode round trips, exact text

    func testRoundTripTable() throws {
        let table: [(input: String, output: String)] = [
            (#"{"null":null}"#, #"{"null":null}"#),
            (#"{"bool":true}"#, #"{"bool":true}"#),
            (#"{"bool":false}"#, #"{"bool":false}"#),
            (#"{"int":"-9223372036854775808"}"#, #"{"int":"-9223372036854775808"}"#),
            (#"{"uint":"18446744073709551615"}"#, #"{"uint":"18446744073709551615"}"#),
            (#"{"double":"1.5"}"#, #"{"double":"1.5"}"#),
            (#"{"double":"1e100"}"#, #"{"double":"1e+100"}"#),
            (#"{"double":"-0.0"}"#, #"{"double":"-0.0"}"#),
            (#"{"double":"5e-324"}"#, #"{"double":"5e-324"}"#),
            (#"{"double":"100"}"#, #"{"double":"100.0"}"#),
            (#"{"double":"1e16"}"#, #"{"double":"1e+16"}"#),
            (#"{"double":"0.0001"}"#, #"{"double":"0.0001"}"#),
            (#"{"double":"NaN"}"#, #"{"double":"NaN"}"#),
            (#"{"double":"-Infinity"}"#, #"{"double":"-Infinity"}"#),
            (#"{"string":"héllo 站"}"#, #"{"string":"héllo 站"}"#),
            (#"{"bytes":"w78="}"#, #"{"bytes":"w78="}"#),
            (#"{"bytes":""}"#, #"{"bytes":""}"#),
            (#"{"list":[{"int":"1"},{"list":[]}]}"#, #"{"list":[{"int":"1"},{"list":[]}]}"#),
            (#"{"map":[[{"string":"a"},{"uint":"2"}]]}"#, #"{"map":[[{"string":"a"},{"uint":"2"}]]}"#),
            (#"{"timestamp":"2009-02-13T23:31:30.123456789Z"}"#, #"{"timestamp":"2009-02-13T23:31:30.123456789Z"}"#),
            (#"{"timestamp":"2009-02-13T23:31:30.120Z"}"#, #"{"timestamp":"2009-02-13T23:31:30.12Z"}"#),
            (#"{"timestamp":"0001-01-01T00:00:00Z"}"#, #"{"timestamp":"0001-01-01T00:00:00Z"}"#),
            (#"{"timestamp":"9999-12-31T23:59:59.999999999Z"}"#, #"{"timestamp":"9999-12-31T23:59:59.999999999Z"}"#),
            (#"{"timestamp":"1969-12-31T23:59:59.5Z"}"#, #"{"timestamp":"1969-12-31T23:59:59.5Z"}"#),
            (#"{"timestamp":"2024-02-29T08:00:00+08:00"}"#, #"{"timestamp":"2024-02-29T00:00:00Z"}"#),
            (#"{"duration":"123.321456789s"}"#, #"{"duration":"123.321456789s"}"#),
            (#"{"duration":"-1.5s"}"#, #"{"duration":"-1.5s"}"#),
            (#"{"duration":"-0.5s"}"#, #"{"duration":"-0.5s"}"#),
            (#"{"duration":"0s"}"#, #"{"duration":"0s"}"#),
            (#"{"duration":"2.000s"}"#, #"{"duration":"2s"}"#),
            (#"{"type":"int"}"#, #"{"type":"int"}"#),
            (#"{"type":"list"}"#, #"{"type":"list"}"#),
            (#"{"type":"map"}"#, #"{"type":"map"}"#),
            (#"{"type":"null_type"}"#, #"{"type":"null_type"}"#),
            (#"{"type":"google.protobuf.Timestamp"}"#, #"{"type":"google.protobuf.Timestamp"}"#),
        ]
        for row in table {
            let v = try decode(row.input)
            XCTAssertEqual(try encoded(v), row.output, "input \(row.input)")
            XCTAssertTrue(TaggedValue.matches(v, expected: try decode(row.output)), "re-decoded \(row.output)")
        }
    }

    func testDecodedScalarsHaveTheRightCases() throws {
        guard case .timestamp(let t) = try decode(#"{"timestamp":"2009-02-13T23:31:30.123456789Z"}"#) else { return XCTFail("not a timestamp") }
        XCTAssertEqual(t, CELTimestamp(seconds: 1_234_567_890, nanos: 123_456_789))
        guard case .timestamp(let early) = try decode(#"{"timestamp":"1969-12-31T23:59:59.5Z"}"#) else { return XCTFail("not a timestamp") }
        XCTAssertEqual(early, CELTimestamp(seconds: -1, nanos: 500_000_000))
        guard case .duration(let d) = try decode(#"{"duration":"-1.5s"}"#) else { return XCTFail("not a duration") }
        XCTAssertEqual(d, CELDuration(seconds: -1, nanos: -500_000_000))
        guard case .type(.map(.dyn, .dyn)) = try decode(#"{"type":"map"}"#) else { return XCTFail("map type") }
        guard case .bytes(let b) = try decode(#"{"bytes":"w78="}"#) else { return XCTFail("not bytes") }
        XCTAssertEqual(b, [0xC3, 0xBF])
        guard case .double(let z) = try decode(#"{"double":"-0.0"}"#) else { return XCTFail("not a double") }
        XCTAssertEqual(z.sign, .minus)
    }

    // MARK: malformed input names the path

    func testMalformedInputIsAnErrorWithAPath() throws {
        let table: [(input: String, path: String)] = [
            (#"{"int":1}"#, "$.int"),
            (#"{"int":"1.5"}"#, "$.int"),
            (#"{"int":"9223372036854775808"}"#, "$.int"),
            (#"{"uint":"-1"}"#, "$.uint"),
            (#"{"bool":1}"#, "$.bool"),
            (#"{"double":"nan"}"#, "$.double"),
            (#"{"bytes":"w78"}"#, "$.bytes"),
            (#"{"list":[{"int":"1"},{"strin":"x"}]}"#, "$.list[1]"),
            (#"{"map":[[{"int":"1"},{"int":"2"}],[{"int":"1"},{"int":"3"}]]}"#, "$.map[1][0]"),
            (#"{"map":[[{"double":"1.5"},{"int":"2"}]]}"#, "$.map[0][0]"),
            (#"{"map":[[{"int":"1"}]]}"#, "$.map[0]"),
            (#"{"timestamp":"2009-02-30T00:00:00Z"}"#, "$.timestamp"),
            (#"{"timestamp":"2009-02-13T23:31:60Z"}"#, "$.timestamp"),
            (#"{"timestamp":"2009-02-13T23:31:30.1234567891Z"}"#, "$.timestamp"),
            (#"{"timestamp":"10000-01-01T00:00:00Z"}"#, "$.timestamp"),
            (#"{"timestamp":"2009-02-13 23:31:30Z"}"#, "$.timestamp"),
            (#"{"duration":"1.5"}"#, "$.duration"),
            (#"{"duration":"315576000001s"}"#, "$.duration"),
            (#"{"duration":"1.s"}"#, "$.duration"),
            (#"{"type":"list(int"}"#, "$.type"),
            (#"{"int":"1","uint":"1"}"#, "$"),
            (#"[1]"#, "$"),
            (#"{"float":"1"}"#, "$"),
        ]
        for row in table {
            XCTAssertThrowsError(try decode(row.input), row.input) { error in
                XCTAssertEqual((error as? TaggedValueError)?.path, row.path, "\(row.input): \(error)")
            }
        }
    }

    // MARK: comparison

    func testMatchesFollowsTheConformanceRules() throws {
        let yes: [(String, String)] = [
            (#"{"double":"NaN"}"#, #"{"double":"NaN"}"#),
            (#"{"double":"0.0"}"#, #"{"double":"-0.0"}"#),
            (#"{"map":[[{"int":"1"},{"string":"a"}],[{"int":"2"},{"string":"b"}]]}"#,
             #"{"map":[[{"int":"2"},{"string":"b"}],[{"int":"1"},{"string":"a"}]]}"#),
            (#"{"timestamp":"2009-02-13T23:31:30Z"}"#, #"{"timestamp":"2009-02-14T07:31:30+08:00"}"#),
            (#"{"type":"list"}"#, #"{"type":"list"}"#),
        ]
        let no: [(String, String)] = [
            (#"{"int":"1"}"#, #"{"uint":"1"}"#),
            (#"{"int":"1"}"#, #"{"double":"1.0"}"#),
            (#"{"double":"NaN"}"#, #"{"double":"1.0"}"#),
            (#"{"list":[{"int":"1"},{"int":"2"}]}"#, #"{"list":[{"int":"2"},{"int":"1"}]}"#),
            (#"{"list":[{"int":"1"}]}"#, #"{"list":[{"int":"1"},{"int":"1"}]}"#),
            (#"{"map":[[{"int":"1"},{"string":"a"}]]}"#, #"{"map":[[{"uint":"1"},{"string":"a"}]]}"#),
            (#"{"map":[[{"int":"1"},{"string":"a"}]]}"#, #"{"map":[[{"int":"1"},{"string":"b"}]]}"#),
            (#"{"type":"list"}"#, #"{"type":"map"}"#),
            (#"{"duration":"1s"}"#, #"{"duration":"1.000000001s"}"#),
        ]
        for (a, b) in yes { XCTAssertTrue(TaggedValue.matches(try decode(a), expected: try decode(b)), "\(a) vs \(b)") }
        for (a, b) in no { XCTAssertFalse(TaggedValue.matches(try decode(a), expected: try decode(b)), "\(a) vs \(b)") }
        XCTAssertFalse(TaggedValue.matches(.error(EvalError("boom")), expected: .error(EvalError("boom"))))
        XCTAssertTrue(TaggedValue.matches(.type(.list(.int)), expected: .type(.list(.dyn))), "types compare by name")
    }

    // MARK: plain JSON

    func testDecodePlainTellsBoolsIntsAndDoublesApart() throws {
        let v = TaggedValue.decodePlain(try json(#"{"t": true, "f": false, "one": 1, "zero": 0, "oneD": 1.0, "half": 0.5, "exp": 1e3, "big": 9223372036854775807, "min": -9223372036854775808, "huge": 9223372036854775808, "frac": 0.1000000000000000000000000001, "s": "站", "n": null, "l": [1, [2.5]]}"#))
        XCTAssertEqual(try encoded(v), #"{"map":[[{"string":"big"},{"int":"9223372036854775807"}],[{"string":"exp"},{"double":"1000.0"}],[{"string":"f"},{"bool":false}],[{"string":"frac"},{"double":"0.1"}],[{"string":"half"},{"double":"0.5"}],[{"string":"huge"},{"error":"integer 9223372036854775808 is out of the int64 range"}],[{"string":"l"},{"list":[{"int":"1"},{"list":[{"double":"2.5"}]}]}],[{"string":"min"},{"int":"-9223372036854775808"}],[{"string":"n"},{"null":null}],[{"string":"one"},{"int":"1"}],[{"string":"oneD"},{"double":"1.0"}],[{"string":"s"},{"string":"站"}],[{"string":"t"},{"bool":true}],[{"string":"zero"},{"int":"0"}]]}"#)
    }

    // MARK: type strings

    func testParseTypeStrings() throws {
        let good: [(String, CELType)] = [
            ("int", .int), ("dyn", .dyn), ("null_type", .null),
            ("map(string, int)", .map(.string, .int)),
            ("list(int)", .list(.int)),
            ("list(map(string, list(dyn)))", .list(.map(.string, .list(.dyn)))),
            ("google.protobuf.Duration", .duration),
            ("google.protobuf.Timestamp", .timestamp),
            ("list", .list(.dyn)),
        ]
        for (s, t) in good { XCTAssertEqual(try TaggedValue.parseType(s), t, s) }
        let bad: [(String, String)] = [
            ("map(string)", "column 12"), ("list(int", "column 9"), ("int(string)", "column 12"),
            ("station.Bus", "column 12"), ("", "column 1"), ("list(int))", "column 10"),
        ]
        for (s, column) in bad {
            XCTAssertThrowsError(try TaggedValue.parseType(s), s) { error in
                XCTAssertEqual((error as? TaggedValueError)?.path, column, "\(s): \(error)")
            }
        }
        XCTAssertEqual(try TaggedValue.parseType("station.Bus", allowObjectNames: true), .object("station.Bus"))
        XCTAssertThrowsError(try TaggedValue.parseType(String(repeating: "list(", count: 100) + "int" + String(repeating: ")", count: 100)))
    }

    // MARK: the shared conformance data

    /// Every binding and expected value in the conformance subset decodes, re-encodes to a
    /// value that decodes equal, and matches itself.
    func testEveryConformanceValueDecodes() throws {
        let path = "/work/shared/cel/conformance-subset.jsonl"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw XCTSkip("\(path) not present") }
        var values = 0
        for (n, line) in text.split(separator: "\n").enumerated() {
            guard let rec = try json(String(line)) as? [String: Any] else { return XCTFail("line \(n + 1) is not an object") }
            var tagged = Array(((rec["bindings"] as? [String: Any]) ?? [:]).values)
            if let expect = rec["expect"] as? [String: Any], let v = expect["value"] { tagged.append(v) }
            for t in tagged {
                let v = try TaggedValue.decode(t)
                let again = try TaggedValue.decode(TaggedValue.encode(v))
                XCTAssertTrue(TaggedValue.matches(again, expected: v), "line \(n + 1)")
                values += 1
            }
        }
        XCTAssertGreaterThan(values, 1_400, "1,424 expected values plus the bindings")
    }

    // MARK: calendar arithmetic against a brute-force walk

    func testCivilDaysAgreeWithDayByDayCount() {
        var days = CELTime.daysFromCivil(1, 1, 1)
        XCTAssertEqual(days * 86400, CELTime.minSeconds)
        for year in Int64(1)...Int64(2500) {
            for month in Int64(1)...12 {
                for day in Int64(1)...CELTime.daysIn(month: month, year: year) {
                    if CELTime.daysFromCivil(year, month, day) != days {
                        return XCTFail("daysFromCivil(\(year)-\(month)-\(day)) != \(days)")
                    }
                    let c = CELTime.civilFromDays(days)
                    if c != (year, month, day) { return XCTFail("civilFromDays(\(days)) = \(c)") }
                    days += 1
                }
            }
        }
    }
}
