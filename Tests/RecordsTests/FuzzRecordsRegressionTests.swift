// The record fuzz target's seeds and past findings (fuzz/seeds/records, fuzz/regressions-records),
// replayed in the test run: decoded without trapping, and no refusal quotes the test ID number
// unmasked. The target itself runs under libFuzzer + ASan (fuzz/run records SECONDS).
import Foundation
import XCTest
@testable import Records

final class FuzzRecordsRegressionTests: XCTestCase {
    func testSeedsAndRegressions() throws {
        let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../fuzz").standardized.path
        var files: [String] = []
        for folder in ["seeds/records", "regressions-records"] {
            let path = fuzz + "/" + folder
            files += ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
        }
        XCTAssertFalse(files.isEmpty)
        for file in files {
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: file)))
            if case .failure(let error) = RecordDecoder.decode(bytes, fileName: "fuzz.json") {
                XCTAssertFalse(error.reason.contains("11010519491231002"), "\(file): \(error.reason)")
            }
        }
        print("replayed \(files.count) record seeds and regressions")
    }
}
