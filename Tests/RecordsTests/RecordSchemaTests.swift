// The schema table itself: envelope and required-ness by kind, unique type names, patterns that
// compile in Swift, and the catalogue fields the Rules engineer was promised.
import XCTest
@testable import Records

final class RecordSchemaTests: XCTestCase {
    func testEnvelopeRequiredByKind() {
        for kind in RecordKind.allCases {
            let object = RecordSchema.object(for: kind)
            for name in ["schema_version", "record_id", "record_kind", "station_code", "kiosk_id", "officer_id", "recorded_at"] {
                XCTAssertEqual(object.field(named: name)?.required, true, "\(kind).\(name)")
            }
            XCTAssertEqual(object.field(named: "trip_id")?.required, kind == .departure || kind == .luggage, "\(kind).trip_id")
            XCTAssertEqual(object.field(named: "plate_no")?.required, kind == .vehicle || kind == .departure, "\(kind).plate_no")
            // Body fields are optional: a kiosk leaves out what it did not capture.
            let requiredCount: [RecordKind: Int] = [.vehicle: 8, .driver: 7, .luggage: 8, .departure: 9]
            XCTAssertEqual(object.fields.filter(\.required).count, requiredCount[kind], "\(kind)")
        }
        XCTAssertEqual(RecordSchema.luggageItem.fields.filter(\.required).map(\.name), ["category", "description"])
    }

    func testObjectNamesAreUniqueAndFieldNamesSnakeCase() {
        var byName: [String: [String]] = [:]
        func walk(_ o: ObjectSchema) {
            let fields = o.fields.map(\.name)
            if let seen = byName[o.name] { XCTAssertEqual(seen, fields, "two different objects named \(o.name)") }
            byName[o.name] = fields
            XCTAssertEqual(Set(fields).count, fields.count, "duplicate field in \(o.name)")
            XCTAssertLessThanOrEqual(fields.count, 64, "\(o.name): the decoder's presence bits cover 64 fields (more work, slower)")
            for f in o.fields {
                XCTAssertTrue(PatternMatcher.matches(f.name, "^[a-z][a-z0-9_]*$"), "\(o.name).\(f.name) is not snake_case")
                var t = f.type
                while true {
                    switch t {
                    case .list(let i), .nullable(let i): t = i; continue
                    case .object(let inner): walk(inner)
                    default: break
                    }
                    break
                }
            }
        }
        for kind in RecordKind.allCases { walk(RecordSchema.object(for: kind)) }
        XCTAssertGreaterThan(byName.count, 20)
    }

    func testEveryPatternCompilesInSwift() {
        for p in [RecordSchema.recordIDPattern, RecordSchema.licenceClassPattern, PlateNumber.pattern, PlateNumber.writtenPattern,
                  NationalIDNumber.pattern, RFC3339Timestamp.pattern, CalendarDate.pattern] {
            XCTAssertTrue(PatternMatcher.compiles(p), p)
        }
        XCTAssertTrue(PatternMatcher.matches("粤A12345", PlateNumber.pattern))
        XCTAssertFalse(PatternMatcher.matches("粤A·12345", PlateNumber.pattern))
    }

    /// Fields the brief and catalogue name for single-record rules; names are a promise to rule files.
    func testCatalogueFieldsExist() {
        let expected: [RecordKind: [String]] = [
            .vehicle: ["registration_date", "documents.ctpl.valid_until", "tyre_cut_max_mm", "equipment.emergency_exit_marking_ok",
                       "equipment.warning_triangle_present", "equipment.wheel_chock_present", "equipment.snow_chains_present",
                       "gps.recorder_ok", "type_grade", "odometer_km", "level2_next_due_odometer_km", "approved_total_persons"],
            .driver: ["licence.medical_cert_valid_until", "qualification.integrity_next_due", "licence.age_extension_until",
                      "licence.checked_at", "alcohol.retest.breath_mg_per_l", "alcohol.blood_mg_per_100ml"],
            .luggage: ["items.is_labelled", "items.live_animal", "consignor_registered"],
            .departure: ["passengers_aboard_counted", "report_at", "hold_checked", "charter_manifest_count",
                         "has_grade3_or_lower_mountain_road", "actual_departure_at", "rest_stop_planned"],
        ]
        for (kind, paths) in expected {
            for path in paths {
                var object = RecordSchema.object(for: kind)
                var found: FieldSchema?
                for part in path.split(separator: ".") {
                    found = object.field(named: String(part))
                    guard let f = found else { break }
                    var t = f.type
                    while case .list(let i) = t { t = i }
                    if case .object(let o) = t { object = o }
                }
                XCTAssertNotNil(found, "\(kind).\(path) missing")
                XCTAssertEqual(found?.required, false, "\(kind).\(path) must be optional")
            }
        }
        XCTAssertEqual(RecordSchema.addedFields.count, 51)
    }

    /// Past 64 fields the decoder finds required fields by searching the members; same answers.
    func testRequiredFieldsBeyondSixtyFourAreFound() {
        let fields = (0..<70).map { FieldSchema("f\($0)", .integer(min: 0, max: nil), required: $0 == 2 || $0 >= 65, "") }
        let schema = ObjectSchema("Wide", "", fields)
        func missing(_ present: [Int]) -> [String] {
            var v = Validation()
            _ = v.object(.object(present.map { ("f\($0)", JSONValue.integer(1)) }), schema, path: "wide", kindName: nil)
            return v.problems.map(\.description)
        }
        XCTAssertEqual(missing([2, 65, 66, 67, 68, 69]), [])
        XCTAssertEqual(missing([69, 2, 65, 67]), ["wide.f66: required field is missing", "wide.f68: required field is missing"])
        XCTAssertEqual(missing([]).count, 6)
    }
}
