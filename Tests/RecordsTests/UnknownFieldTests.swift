// A field the schema does not know is kept, and named with what the kiosk probably meant.
import XCTest
@testable import Records

final class UnknownFieldTests: XCTestCase {
    func testSuggestionsAtEachLevel() {
        XCTAssertEqual(RecordSchema.suggestion(for: "adluts", kind: .departure), "adults")
        XCTAssertEqual(RecordSchema.suggestion(for: "passengers_tickted", kind: .departure), "passengers_ticketed")
        XCTAssertEqual(RecordSchema.suggestion(for: "documents.ctpll", kind: .vehicle), "documents.ctpl")
        XCTAssertEqual(RecordSchema.suggestion(for: "items[0].blade_lenght_mm", kind: .luggage), "items[0].blade_length_mm")
        XCTAssertEqual(RecordSchema.suggestion(for: "licence.checkd_at", kind: .driver), "licence.checked_at")
        XCTAssertNil(RecordSchema.suggestion(for: "vendor_extra", kind: .departure), "nothing close: no guess")
        XCTAssertNil(RecordSchema.suggestion(for: "gps.antenna", kind: .vehicle))
        XCTAssertNil(RecordSchema.suggestion(for: "nope.adluts", kind: .departure), "an unknown parent has no fields to guess from")
    }

    func testEditDistanceCountsASwapAsOne() {
        XCTAssertEqual(RecordSchema.editDistance("adluts", "adults"), 1)
        XCTAssertEqual(RecordSchema.editDistance("adult", "adults"), 1)
        XCTAssertEqual(RecordSchema.editDistance("", "ab"), 2)
        XCTAssertEqual(RecordSchema.editDistance("kitten", "sitting"), 3)
    }

    func testTheDecodedRecordKeepsTheFieldAndWarns() throws {
        let text = """
        {"schema_version": 1, "record_id": "gate-1:9", "record_kind": "departure", "station_code": "GZ-SYZ-01",
         "kiosk_id": "gate-1", "officer_id": "CZ0456", "recorded_at": "2026-10-01T07:28:00+08:00",
         "trip_id": "G1203-20261001", "plate_no": "粤A12345", "adluts": 45, "vendor_extra": true}
        """
        let record = try RecordDecoder.decode(Array(text.utf8), fileName: "d.json").get()
        XCTAssertEqual(record.unknownFieldPaths, ["adluts", "vendor_extra"])
        XCTAssertNotNil(record.document["adluts"], "kept (forward compatibility)")
        XCTAssertEqual(record.unknownFieldWarnings, ["unknown field adluts; did you mean adults?", "unknown field vendor_extra"])
    }
}
