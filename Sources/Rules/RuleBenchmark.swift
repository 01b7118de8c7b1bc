// RuleBenchmark: decode + validate + evaluate throughput, in memory, for `rules bench` and tests.
import Foundation
import Records

public enum RuleBenchmark {
    public struct Result {
        public var records: Int
        public var alerts: Int
        public var rejected: Int
        /// CPU seconds of the evaluating thread.
        public var seconds: Double
        public var rules: Int
        /// Records/s for evaluation alone (records decoded beforehand), to split the cost.
        public var evaluateOnlyPerSecond: Double
        public var perSecond: Double { seconds > 0 ? Double(records) / seconds : 0 }
        public var summary: String {
            String(format: "%d records in %.2f CPU s: %.0f records/s decode+validate+evaluate, %.0f records/s evaluate only (%d rules loaded, %d alerts, %d rejected records)",
                   records, seconds, perSecond, evaluateOnlyPerSecond, rules, alerts, rejected)
        }
    }

    /// CPU seconds used by the calling thread: on a shared machine, wall time counts other
    /// processes' work; the goal is records per second of one core.
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Cycles through `inputs` (file name, bytes) for about `seconds` of this thread's CPU time.
    public static func run(generation: RuleGeneration, inputs: [(String, [UInt8])], seconds: Double) -> Result {
        var n = 0, alerts = 0, rejected = 0
        let start = threadCPUSeconds()
        var elapsed = 0.0
        while elapsed < seconds {
            for (name, bytes) in inputs {
                switch RecordDecoder.decode(bytes, fileName: name) {
                case .success(let r): alerts += generation.evaluate(r).count
                case .failure: rejected += 1
                }
                n += 1
            }
            elapsed = threadCPUSeconds() - start
        }
        let decoded = inputs.compactMap { try? RecordDecoder.decode($0.1, fileName: $0.0).get() }
        var m = 0
        let start2 = threadCPUSeconds()
        var elapsed2 = 0.0
        while !decoded.isEmpty, elapsed2 < seconds / 2 {
            for r in decoded { _ = generation.evaluate(r); m += 1 }
            elapsed2 = threadCPUSeconds() - start2
        }
        return Result(records: n, alerts: alerts, rejected: rejected, seconds: elapsed, rules: generation.rules.count,
                      evaluateOnlyPerSecond: elapsed2 > 0 ? Double(m) / elapsed2 : 0)
    }
}
