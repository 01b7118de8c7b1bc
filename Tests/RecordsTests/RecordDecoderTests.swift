// RecordDecoder: the wording of every refusal, what an accepted Record carries, and the caps.
import Foundation
import XCTest
@testable import Records

final class RecordDecoderTests: XCTestCase {
    /// A valid departure record to mutate; built from text so the test does not depend on the corpus.
    let departure = """
        {"schema_version": 1, "record_id": "gate-1:1", "record_kind": "departure", "station_code": "GZ-SYZ-01",
         "kiosk_id": "gate-1", "officer_id": "CZ0456", "recorded_at": "2026-10-01T07:28:00+08:00",
         "trip_id": "G1203-20261001", "plate_no": "粤A·12345", "adults": 50, "driver_ids": ["D-1", "D-2"]}
        """

    func replacing(_ old: String, _ new: String) -> String {
        precondition(departure.contains(old))
        return departure.replacingOccurrences(of: old, with: new)
    }

    func testAcceptedRecordCarriesEnvelopeNormalisedBodyAndDigest() throws {
        let data = bytes(departure.replacingOccurrences(of: "\"adults\": 50", with: "\"adults\": 50, \"vendor\": {\"x\": 1}"))
        let record = try RecordDecoder.decode(data, fileName: "d.json").get()
        XCTAssertEqual(record.kind, .departure)
        XCTAssertEqual(record.id, "gate-1:1")
        XCTAssertEqual(record.stationCode, "GZ-SYZ-01")
        XCTAssertEqual(record.kioskID, "gate-1")
        XCTAssertEqual(record.officerID, "CZ0456")
        XCTAssertEqual(record.tripID, "G1203-20261001")
        XCTAssertEqual(record.plateNo, "粤A12345")
        XCTAssertEqual(record.body["plate_no"], .string("粤A12345"), "rules see the normalised plate")
        XCTAssertEqual(record.document["plate_no"], .string("粤A·12345"), "the document keeps what was written")
        XCTAssertEqual(record.recordedAt, RFC3339Timestamp.parse("2026-10-01T07:28:00+08:00"))
        XCTAssertEqual(record.value(atPath: "adults"), .integer(50))
        XCTAssertNil(record.body["vendor"], "unknown fields are hidden from rules")
        XCTAssertNotNil(record.document["vendor"], "but kept")
        XCTAssertEqual(record.unknownFieldPaths, ["vendor"])
        XCTAssertEqual(record.sha256, SHA256.hex(data))
        XCTAssertEqual(record.fileName, "d.json")
    }

    /// The digest is worked out on first use; every thread must see the same one.
    func testDigestIsTheSameFromEveryThreadAndAsGiven() throws {
        let data = bytes(departure)
        let record = try RecordDecoder.decode(data, fileName: "d.json").get()
        var seen = [String](repeating: "", count: 8)
        seen.withUnsafeMutableBufferPointer { out in
            let out = out // one slot per thread
            DispatchQueue.concurrentPerform(iterations: 8) { out[$0] = record.sha256 }
        }
        XCTAssertEqual(Set(seen), [SHA256.hex(data)])
        XCTAssertEqual(seen[0].count, 64)
        let given = try RecordDecoder.validate(record.document, fileName: "d.json", sha256: "given").get()
        XCTAssertEqual(given.sha256, "given")
    }

    /// Names the schema knows are shared strings when written plainly; written with an escape
    /// they are new strings, and must mean the same field.
    func testFieldNamesWrittenWithEscapesAreTheSameFields() throws {
        let plain = try RecordDecoder.decode(bytes(departure), fileName: "d.json").get()
        let escaped = try RecordDecoder.decode(bytes(replacing("\"adults\"", #""\u0061dults""#)), fileName: "d.json").get()
        XCTAssertEqual(escaped.body["adults"], .integer(50))
        XCTAssertEqual(escaped.body, plain.body)
        XCTAssertEqual(escaped.unknownFieldPaths, [])
        XCTAssertEqual(problems(replacing("\"adults\": 50", #""\u0061dults": -1"#)),
                       ["departure.adults: expected a non-negative integer, got -1"])
    }

    func testUnknownNestedFieldsAreKeptButHidden() throws {
        let text = """
            {"schema_version": 1, "record_id": "k1", "record_kind": "luggage", "station_code": "S", "kiosk_id": "k",
             "officer_id": "o", "recorded_at": "2026-10-01T07:05:41+08:00", "trip_id": "T",
             "items": [{"category": "ordinary", "description": "衣物", "colour": "red"}]}
            """
        let record = try RecordDecoder.decode(bytes(text), fileName: "l.json").get()
        XCTAssertEqual(record.unknownFieldPaths, ["items[0].colour"])
        XCTAssertNil(record.value(atPath: "items")?.intValue)
        guard case .array(let items)? = record.body["items"] else { return XCTFail("items missing") }
        XCTAssertNil(items[0]["colour"])
        XCTAssertEqual(items[0]["description"], .string("衣物"))
    }

    /// One row per rejection reason: the input change and the exact first problem.
    func testEveryRejectionReasonNamesTheFieldInPlainWords() {
        let cases: [(String, String, String)] = [
            ("\"adults\": 50", "\"adults\": \"forty\"", #"departure.adults: expected a non-negative integer, got "forty""#),
            ("\"adults\": 50", "\"adults\": -3", "departure.adults: expected a non-negative integer, got -3"),
            ("\"adults\": 50", "\"adults\": 50.0", "departure.adults: expected a non-negative integer, got 50.0 (write integers without a fraction or exponent)"),
            ("\"adults\": 50", "\"adults\": 1000000001", "departure.adults: expected an integer from 0 to 1000000000, got 1000000001"),
            ("\"adults\": 50", "\"adults\": null", "departure.adults: expected a non-negative integer, got null"),
            ("\"adults\": 50", "\"route_class\": 5", "departure.route_class: expected an integer from 1 to 4, got 5"),
            ("\"adults\": 50", "\"relay_plan\": \"no\"", #"departure.relay_plan: expected true or false, got "no""#),
            ("\"adults\": 50", "\"service_type\": \"bus\"",
             #"departure.service_type: expected one of scheduled, extra, charter, tour, customised, airport_hsr, got "bus""#),
            ("\"adults\": 50", "\"report_at\": \"2026-10-01T06:50:00\"",
             #"departure.report_at: expected an RFC 3339 timestamp with offset such as 2026-10-01T06:42:10+08:00, got "2026-10-01T06:50:00""#),
            ("\"adults\": 50", "\"charter_contract_no\": \" \"", #"departure.charter_contract_no: expected non-blank text, got " ""#),
            ("[\"D-1\", \"D-2\"]", "[\"D-1\", 2]", "departure.driver_ids[1]: expected non-blank text, got 2"),
            ("[\"D-1\", \"D-2\"]", "{}", "departure.driver_ids: expected a list, got an object"),
            ("\"schema_version\": 1", "\"schema_version\": 2", "departure.schema_version: expected 1, got 2"),
            ("\"record_id\": \"gate-1:1\"", "\"record_id\": \"gate 1\"",
             #"departure.record_id: expected 1 to 128 characters from A-Z a-z 0-9 . _ : -, got "gate 1""#),
            ("\"record_kind\": \"departure\"", "\"record_kind\": \"bus\"",
             #"record.record_kind: expected one of vehicle, driver, luggage, departure, got "bus""#),
            ("\"record_kind\": \"departure\", ", "",
             "record.record_kind: expected one of vehicle, driver, luggage, departure, it is missing"),
            ("\"trip_id\": \"G1203-20261001\", ", "", "departure.trip_id: required field is missing (required in departure records)"),
            ("\"plate_no\": \"粤A·12345\"", "\"plate_no\": \"粤I12345\"",
             #"departure.plate_no: expected a plate number such as 粤A12345, 粤AD12345 or 粤A12345D, got "粤I12345""#),
            ("\"recorded_at\": \"2026-10-01T07:28:00+08:00\"", "\"recorded_at\": \"2026-02-30T07:28:00+08:00\"",
             #"departure.recorded_at: 2026-02-30 is not a calendar date (February 2026 has 28 days), got "2026-02-30T07:28:00+08:00""#),
        ]
        for (old, new, expected) in cases {
            XCTAssertEqual(problems(replacing(old, new)).first, expected, "\(old) → \(new)")
        }
    }

    func testNestedPathsAndNationalIDsAreMasked() {
        let driver = """
            {"schema_version": 1, "record_id": "k1", "record_kind": "driver", "station_code": "S", "kiosk_id": "k",
             "officer_id": "o", "recorded_at": "2026-10-01T06:31:00+08:00", "id_card_no": "440106198503124218",
             "licence": {"valid_until": null, "class": "A1A2", "points": 3},
             "qualification": {"holder_id_no": "11010519491231002x", "valid_until": "2029-02-29"},
             "identity": {"face_match_score": 1.01}, "alcohol": {"breath_mg_per_l": -0.01}}
            """
        XCTAssertEqual(problems(driver), [
            #"driver.id_card_no: not a valid national ID number (GB 11643): check character is 8, GB 11643 requires 9, got "440106********4218""#,
            #"driver.qualification.holder_id_no: not a valid national ID number (GB 11643): the check character must be an upper-case X, got "110105********002x""#,
            #"driver.qualification.valid_until: 2029-02-29 is not a calendar date (February 2029 has 28 days), got "2029-02-29""#,
            "driver.identity.face_match_score: expected a number from 0 to 1, got 1.01",
            "driver.alcohol.breath_mg_per_l: expected a non-negative number, got -0.01",
        ])
        XCTAssertFalse(problems(driver).joined().contains("198503124218"), "an ID number leaked into a reason")
    }

    /// Above a count's maximum the reason names the range (not "non-negative", which the value
    /// is), and numbers are echoed as the file wrote them, long ones shortened.
    func testNumbersAboveTheMaximumNameTheRangeAndEchoTheLiteral() {
        let range = "departure.adults: expected an integer from 0 to 1000000000, got "
        let digits60 = String(repeating: "9", count: 60)
        let cases: [(String, String)] = [
            ("9223372036854775807", range + "9223372036854775807"),
            ("99999999999999999999999", range + "99999999999999999999999"),
            ("1E30", range + "1E30"),
            (digits60, range + String(repeating: "9", count: 40) + "… (60 characters)"),
            ("-99999999999999999999999", "departure.adults: expected a non-negative integer, got -99999999999999999999999"),
            ("5e1", "departure.adults: expected a non-negative integer, got 5e1 (write integers without a fraction or exponent)"),
            ("2e9", "departure.adults: expected an integer from 0 to 1000000000, got 2e9 (write integers without a fraction or exponent)"),
        ]
        for (written, expected) in cases {
            XCTAssertEqual(problems(replacing("\"adults\": 50", "\"adults\": " + written)), [expected], written)
        }
        // Two spellings of one Double: neither can be claimed, so the Double is shown.
        XCTAssertEqual(problems(replacing("\"adults\": 50", "\"adults\": 99999999999999999999999, \"lap_children\": 1e23")), [
            "departure.adults: expected an integer from 0 to 1000000000, got 1e+23",
            "departure.lap_children: expected an integer from 0 to 1000000000, got 1e+23",
        ])
        XCTAssertEqual(problems(replacing("\"adults\": 50", "\"adults\": 50, \"vendor_score\": 1e23")), [],
                       "an unknown member's large number is kept, not refused")
    }

    /// 1e999 does not fit a Double: refused while parsing (as scripts/check-schema does, even in
    /// unknown members), with line and column and the member it is the value of.
    func testNumbersTooLargeForADoubleNameTheirMember() {
        func reason(_ text: String) -> String? {
            guard case .failure(let e) = RecordDecoder.decode(bytes(text), fileName: "x.json") else { return nil }
            XCTAssertEqual(e.stage, .notJSON)
            return e.reason
        }
        XCTAssertEqual(reason(#"{"duty": {"continuous_driving_min": 1e999}}"#),
                       #"not JSON: line 1, column 37: number 1e999 is too large to represent (value of "continuous_driving_min")"#)
        XCTAssertEqual(reason(#"{"a": {"b": 1}, "driver_ids": [1, -1e999]}"#),
                       #"not JSON: line 1, column 35: number -1e999 is too large to represent (value of "driver_ids")"#)
        XCTAssertEqual(reason("\n 1" + String(repeating: "0", count: 400) + ".5"),
                       "not JSON: line 2, column 2: number 1" + String(repeating: "0", count: 39)
                       + "… (403 characters) is too large to represent")
    }

    /// Well-formed but impossible dates and times say which part is wrong.
    func testImpossibleDatesAndTimesSayWhichPartIsWrong() {
        let at = "\"recorded_at\": \"2026-10-01T07:28:00+08:00\""
        let cases: [(String, String)] = [
            ("2026-02-30T06:42:10+08:00", "2026-02-30 is not a calendar date (February 2026 has 28 days)"),
            ("2028-02-30T06:42:10+08:00", "2028-02-30 is not a calendar date (February 2028 has 29 days)"),
            ("2026-13-01T06:42:10+08:00", "2026-13-01 is not a calendar date (month 13 does not exist)"),
            ("0000-01-01T06:42:10Z", "0000-01-01 is not a calendar date (years run from 0001)"),
            ("2026-10-01T24:00:00+08:00", "hour 24 is out of range (00 to 23)"),
            ("2026-10-01T06:60:00+08:00", "minute 60 is out of range (00 to 59)"),
            ("2026-12-31T23:59:60Z", "second 60 (a leap second) is not accepted"),
            ("2026-10-01T06:42:61+08:00", "second 61 is out of range (00 to 59)"),
            ("2026-10-01T06:42:10.1234567890+08:00", "the fraction has 10 digits, at most 9 (nanoseconds) are accepted"),
            ("2026-10-01T06:42:10+24:00", "offset +24:00 is out of range (at most ±23:59)"),
        ]
        for (written, why) in cases {
            XCTAssertEqual(problems(replacing(at, "\"recorded_at\": \"\(written)\"")),
                           ["departure.recorded_at: \(why), got \"\(written)\""], written)
        }
        // Shapes that are simply wrong keep the expected form; the longest fraction still passes.
        XCTAssertNil(RFC3339Timestamp.problem(in: "2026-10-01 06:42:10+08:00"))
        XCTAssertNil(RFC3339Timestamp.problem(in: "2026-10-01T06:42:10"))
        XCTAssertNil(RFC3339Timestamp.problem(in: "2026-10-01T06:42:10.123456789+08:00"))
        XCTAssertNotNil(RFC3339Timestamp.parse("2026-10-01T06:42:10.123456789+08:00"))
        XCTAssertEqual(problems(replacing(at, "\"recorded_at\": \"2026-10-01T06:42\"")),
                       [#"departure.recorded_at: expected an RFC 3339 timestamp with offset such as 2026-10-01T06:42:10+08:00, got "2026-10-01T06:42""#])
        // Dates alone get the same words.
        XCTAssertEqual(CalendarDate.problem(in: "2027-02-29"), "2027-02-29 is not a calendar date (February 2027 has 28 days)")
        XCTAssertEqual(CalendarDate.problem(in: "2027-04-31"), "2027-04-31 is not a calendar date (April 2027 has 30 days)")
        XCTAssertNil(CalendarDate.problem(in: "2028-02-29"))
        XCTAssertNil(CalendarDate.problem(in: "2027/02/29"))
    }

    func testListItemsAndRequiredItemFields() {
        let luggage = """
            {"schema_version": 1, "record_id": "k1", "record_kind": "luggage", "station_code": "S", "kiosk_id": "k",
             "officer_id": "o", "recorded_at": "2026-10-01T07:05:41+08:00",
             "items": [{"category": "ordinary", "description": "衣物"}, {"description": "烟花"}, {"category": "fireworks", "description": "x"}]}
            """
        XCTAssertEqual(problems(luggage), [
            "luggage.items[1].category: required field is missing",
            "luggage.items[2].category: expected one of firearms_ammunition, explosives, controlled_knives, flammable, toxic, corrosive, radioactive, infectious, other_hazardous, other_prohibited, alcohol, aerosol, lighter_matches, lithium_battery, nail_polish, knife_daily, blunt_instrument, tools, bow_arrow, slingshot, ordinary, got \"fireworks\"",
            "luggage.trip_id: required field is missing (required in luggage records)",
        ])
    }

    func testReasonShowsTheFirstFewOfAllProblems() throws {
        let text = replacing("\"adults\": 50", """
            "adults": "a", "seated_children": "b", "lap_children": "c", "unbelted_count": "d", "loaded_bag_count": "e",
            "screened_bag_count": "f", "passengers_ticketed": "g"
            """)
        guard case .failure(let error) = RecordDecoder.decode(bytes(text), fileName: "many.json") else {
            return XCTFail("accepted")
        }
        XCTAssertEqual(error.stage, .schema)
        XCTAssertEqual(error.problems.count, 7)
        XCTAssertTrue(error.reason.hasPrefix("schema violation: departure.adults: expected a non-negative integer, got \"a\"; "))
        XCTAssertTrue(error.reason.hasSuffix("departure.loaded_bag_count: expected a non-negative integer, got \"e\"; and 2 more"),
                      error.reason)
        XCTAssertTrue(error.description.hasPrefix("many.json: schema violation: "))
    }

    func testNotAnObjectAndSyntaxErrors() {
        XCTAssertEqual(problems("[1]"), ["record: expected an object, got a list"])
        guard case .failure(let e) = RecordDecoder.decode(bytes("{\"a\": 1,}"), fileName: "bad.json") else {
            return XCTFail("accepted")
        }
        XCTAssertEqual(e.stage, .notJSON)
        XCTAssertEqual(e.description, "bad.json: not JSON: line 1, column 9: unexpected '}', expected a member name in double quotes")
    }

    func testSizeAndDepthCapsOnWholeRecords() {
        let big = [UInt8](repeating: 0x20, count: JSONParser.defaultMaxBytes + 1)
        guard case .failure(let e) = RecordDecoder.decode(big, fileName: "big.json") else { return XCTFail("accepted") }
        XCTAssertEqual(e.stage, .tooLarge)
        XCTAssertEqual(e.reason, "too large: file is 1048577 bytes; the limit is 1048576 bytes (1 MiB)")

        let deep = replacing("\"adults\": 50", "\"vendor\": " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40))
        guard case .failure(let d) = RecordDecoder.decode(bytes(deep), fileName: "deep.json") else { return XCTFail("accepted") }
        XCTAssertEqual(d.stage, .notJSON)
        XCTAssertTrue(d.reason.hasSuffix("nesting deeper than 32 levels"), d.reason)
    }

    func testHostileInputsNeverTrap() {
        // A spread of malformed inputs; the decoder must answer each without crashing.
        var inputs: [[UInt8]] = [[], [0], [0xFF], bytes("{"), bytes("\"\\u"), bytes("{\"a\""), bytes("-"), bytes("1e"),
                                 bytes("{\"record_kind\": {}}"), bytes("{\"record_kind\": \"driver\", \"licence\": []}")]
        var generator = SystemRandomNumberGenerator()
        let seed = bytes(departure)
        for _ in 0..<300 {
            var mutated = seed
            for _ in 0..<3 { mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            inputs.append(mutated)
        }
        for input in inputs {
            if case .failure(let e) = RecordDecoder.decode(input, fileName: "x.json") { XCTAssertFalse(e.problems.isEmpty) }
        }
    }

    func testTheFourContractExamplesAreAccepted() throws {
        let names = ["vehicle-pass", "driver-alcohol", "luggage-prohibited", "departure-overcapacity"]
        for name in names {
            let url = TestPaths.corpus.appendingPathComponent("valid/example-\(name).json")
            let data = try [UInt8](Data(contentsOf: url))
            let record = try RecordDecoder.decode(data, fileName: url.lastPathComponent).get()
            XCTAssertEqual(record.kind.rawValue, String(name.prefix(while: { $0 != "-" })))
            XCTAssertEqual(record.unknownFieldPaths, [], name)
        }
        let driver = try RecordDecoder.decode([UInt8](Data(contentsOf: TestPaths.corpus.appendingPathComponent(
            "valid/example-driver-alcohol.json"))), fileName: "d").get()
        XCTAssertEqual(driver.maskedIDCardNo, "440106********4219")
        XCTAssertEqual(driver.value(atPath: "alcohol.breath_mg_per_l"), .number(0.12))
        XCTAssertEqual(driver.timestamp(atPath: "alcohol.tested_at")?.secondsSinceEpoch, 1_790_807_402)
        XCTAssertEqual(driver.date(atPath: "licence.valid_until"), CalendarDate(year: 2031, month: 4, day: 12))
        XCTAssertNil(driver.date(atPath: "licence.no_such_field"))
    }
}
