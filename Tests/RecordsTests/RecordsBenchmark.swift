// RecordsBenchmark: prints the cost of decode + validate per example record. It asserts no
// timing (the machine is shared); it only runs with STATIONGUARD_BENCH=1, in release:
//   STATIONGUARD_BENCH=1 swift test -c release --filter RecordsBenchmark
// Optional STATIONGUARD_BENCH_ROUNDS (default 7) and STATIONGUARD_BENCH_COUNT (default 20000).
import Foundation
import XCTest
@testable import Records

final class RecordsBenchmark: XCTestCase {
    func testDecodeExamples() throws {
        let env = ProcessInfo.processInfo.environment
        try XCTSkipUnless(env["STATIONGUARD_BENCH"] == "1", "set STATIONGUARD_BENCH=1 to run the benchmark")
        let rounds = env["STATIONGUARD_BENCH_ROUNDS"].flatMap(Int.init) ?? 7
        let count = env["STATIONGUARD_BENCH_COUNT"].flatMap(Int.init) ?? 20_000
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.examples.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertFalse(names.isEmpty, "no examples in \(TestPaths.examples.path)")
        for name in names {
            let data = [UInt8](try Data(contentsOf: TestPaths.examples.appendingPathComponent(name)))
            // The benchmark is only meaningful if the example is accepted.
            if case .failure(let e) = RecordDecoder.decode(data, fileName: name) {
                XCTFail("\(name) refused: \(e.reason)")
                continue
            }
            // Decode alone (what every record costs), then decode plus the SHA-256 that only
            // records raising an alert ask for.
            for withDigest in [false, true] {
                var perRecord: [Double] = [] // µs, one figure per round
                var accepted = 0
                for _ in 0..<rounds {
                    let start = DispatchTime.now().uptimeNanoseconds
                    for _ in 0..<count {
                        guard case .success(let record) = RecordDecoder.decode(data, fileName: name) else { continue }
                        if !withDigest || record.sha256.utf8.count == 64 { accepted += 1 }
                    }
                    let ns = DispatchTime.now().uptimeNanoseconds - start
                    perRecord.append(Double(ns) / 1000 / Double(count))
                }
                XCTAssertEqual(accepted, rounds * count) // also keeps the loop from being optimised away
                perRecord.sort()
                let minimum = perRecord[0], median = perRecord[perRecord.count / 2]
                print(String(format: "RecordsBenchmark %@ (%d bytes)%@: min %.2f µs, median %.2f µs per decode; %.0f records/s at the median (%d rounds of %d)",
                             name, data.count, withDigest ? " with sha256" : "", minimum, median, 1e6 / median, rounds, count))
            }
        }
    }
}
