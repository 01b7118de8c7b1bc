// Paths and small helpers shared by the Records tests.
import Foundation
@testable import Records

enum TestPaths {
    /// The repository root, found from this file's path (tests run from anywhere).
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemaFile = repository.appendingPathComponent("schema/record.schema.json")
    static let corpus = repository.appendingPathComponent("Tests/RecordsTests/Corpus")
    static let examples = URL(fileURLWithPath: "/work/shared/spec/examples")
    static let checkSchemaScript = repository.appendingPathComponent("scripts/check-schema")
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Decodes and returns the problems' descriptions, or [] if the record was accepted.
func problems(_ text: String) -> [String] {
    switch RecordDecoder.decode(bytes(text), fileName: "t.json") {
    case .success: return []
    case .failure(let e): return e.problems.map(\.description)
    }
}
