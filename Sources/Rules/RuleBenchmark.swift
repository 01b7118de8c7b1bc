// RuleBenchmark: decode + validate + evaluate throughput, in memory, for `rules bench` and tests.
import Foundation
import Records

public enum RuleBenchmark {
    public struct Result {
        public var records: Int
        public var alerts: Int
        public var rejected: Int
        public var seconds: Double
        public var rules: Int
        public var perSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
        public var summary: String {
            String(format: "%d records in %.2f s: %.0f records/s (%d rules loaded, %d alerts, %d rejected records)",
                   records, seconds, perSecond, rules, alerts, rejected)
        }
    }

    /// Cycles through `inputs` (file name, bytes) for about `seconds` on the calling thread.
    public static func run(generation: RuleGeneration, inputs: [(String, [UInt8])], seconds: Double) -> Result {
        var n = 0, alerts = 0, rejected = 0
        let start = Date()
        var elapsed = 0.0
        while elapsed < seconds {
            for (name, bytes) in inputs {
                switch RecordDecoder.decode(bytes, fileName: name) {
                case .success(let r): alerts += generation.evaluate(r).count
                case .failure: rejected += 1
                }
                n += 1
            }
            elapsed = Date().timeIntervalSince(start)
        }
        return Result(records: n, alerts: alerts, rejected: rejected, seconds: elapsed, rules: generation.rules.count)
    }
}
