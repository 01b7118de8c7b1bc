// docs/records-added-fields.md must list every field RecordSchema adds beyond records.md.
import Foundation
import XCTest
@testable import Records

final class AddedFieldsDocTests: XCTestCase {
    func testEveryAddedFieldIsDocumented() throws {
        let doc = try String(contentsOf: TestPaths.repository.appendingPathComponent("docs/records-added-fields.md"),
                             encoding: .utf8)
        let added = RecordSchema.addedFields
        XCTAssertGreaterThan(added.count, 30)
        for field in added {
            let row = "| \(field.kind.rawValue) | `\(field.path)` |"
            XCTAssertTrue(doc.contains(row), "docs/records-added-fields.md lacks the row starting \(row)")
            for rule in field.rules {
                XCTAssertTrue(doc.contains(rule), "docs/records-added-fields.md does not cite \(rule)")
            }
        }
    }
}
