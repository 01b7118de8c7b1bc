// Throughput: prints records/s (decode + validate + evaluate, in memory); asserts no time,
// only that the loop ran and produced the expected alerts.
import XCTest
@testable import Rules

final class BenchmarkTests: XCTestCase {
    func testPrintRecordsPerSecond() throws {
        // The shipped rules when this checkout has them (ruleset branch merged), else the fixtures.
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = repo.appendingPathComponent("rules").path
        let s = Scratch()
        s.writeFixtureRuleSets()
        var dirs = [s.path("v")]
        if FileManager.default.fileExists(atPath: shipped), (try? loadRules([shipped])) != nil { dirs = [shipped] }
        let g = try loadRules(dirs)
        let over = Fixtures.departure.replacingOccurrences(of: "\"adults\": 45", with: "\"adults\": 49")
        let inputs = [("d.json", Array(Fixtures.departure.utf8)), ("o.json", Array(over.utf8)), ("k.json", Array(Fixtures.driver.utf8))]
        let result = RuleBenchmark.run(generation: g, inputs: inputs, seconds: 1)
        print("BENCH rules from \(dirs[0]): \(result.summary)")
        XCTAssertGreaterThan(result.records, 0)
        XCTAssertEqual(result.rejected, 0)
    }
}
