// The committed schema/record.schema.json must be exactly what RecordSchema generates.
import Foundation
import XCTest
@testable import Records

final class SchemaFileTests: XCTestCase {
    /// Set STATIONGUARD_REGENERATE_SCHEMA=1 to rewrite the file instead of comparing.
    func testCommittedSchemaFileIsGenerated() throws {
        let generated = RecordSchema.jsonSchemaText()
        if ProcessInfo.processInfo.environment["STATIONGUARD_REGENERATE_SCHEMA"] == "1" {
            try generated.write(to: TestPaths.schemaFile, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: TestPaths.schemaFile, encoding: .utf8)
        XCTAssertTrue(committed == generated, """
            schema/record.schema.json differs from RecordSchema.jsonSchemaText(). Regenerate it with
            STATIONGUARD_REGENERATE_SCHEMA=1 swift test --filter RecordsTests.SchemaFileTests and commit it.
            """)
    }

    func testGeneratedSchemaIsStrictJSONAndNamesEveryKind() throws {
        let parsed = try JSONParser.parse(Array(RecordSchema.jsonSchemaText().utf8))
        for kind in RecordKind.allCases {
            XCTAssertNotNil(parsed.value(atPath: "$defs.\(RecordSchema.object(for: kind).name).properties.record_id"),
                            "\(kind) lacks the envelope")
        }
        XCTAssertEqual(parsed["$schema"]?.stringValue, "https://json-schema.org/draft/2020-12/schema")
    }
}
