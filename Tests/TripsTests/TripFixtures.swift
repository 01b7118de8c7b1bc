// Whole trips for the verdict tests: the shipped rules, the rule tests' clean records, and a
// stream runner over a real store (in memory, or a file in a temporary directory).
import Foundation
import XCTest
import Records
import Rules
import Trips

enum TripFixtures {
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The shipped rule sets, loaded once.
    static let rules: RuleGeneration = {
        try! RuleLoader(layers: RuleLayers(directories: [repository + "/rules"])).load()
    }()

    /// A clean record of the rule tests (rules/tests/records), as a mutable JSON object.
    static func clean(_ name: String) -> [String: Any] {
        let data = FileManager.default.contents(atPath: repository + "/rules/tests/records/" + name)!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// The five records of one clean trip G1203-20261001 (粤A12345, departs 07:31 on 10-01):
    /// vehicle checked 06:42, drivers D-000731 and D-000802 checked 06:31, one checked bag
    /// screened 07:02, the departure check 07:28 with one bag loaded and screened.
    static func cleanTrip() -> [String: [String: Any]] {
        var luggage = clean("luggage-clean.json")
        luggage["bag_kind"] = "checked"
        var departure = clean("departure-clean.json")
        departure["loaded_bag_count"] = 1
        departure["screened_bag_count"] = 1
        return [
            "vehicle": clean("vehicle-clean.json"),
            "driver1": clean("driver-clean.json"),
            "driver2": clean("driver-longterm-licence-clean.json"),
            "luggage": luggage,
            "departure": departure,
        ]
    }

    static func bytes(_ object: [String: Any]) -> [UInt8] {
        [UInt8](try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Every order of `items` (Heap's algorithm).
    static func permutations<T>(_ items: [T]) -> [[T]] {
        var a = items
        var out: [[T]] = []
        func generate(_ k: Int) {
            if k <= 1 { out.append(a); return }
            for i in 0..<k {
                generate(k - 1)
                a.swapAt(k % 2 == 0 ? i : 0, k - 1)
            }
        }
        generate(a.count)
        return out
    }
}

/// One station's stream through a real store: decode, evaluate, ingest, as the daemon does.
final class TripStream {
    let store: TripStore
    let rules: RuleGeneration
    private(set) var decisions: [TripDecision] = []
    private(set) var outcomes: [TripStore.Outcome] = []

    init(directory: String? = nil, rules: RuleGeneration = TripFixtures.rules) throws {
        store = try TripStore(directory: directory)
        self.rules = rules
    }

    /// Feeds one record; returns the decisions it caused.
    @discardableResult
    func feed(_ object: [String: Any], file: StaticString = #filePath, line: UInt = #line) throws -> [TripDecision] {
        let bytes = TripFixtures.bytes(object)
        let record: Record
        switch RecordDecoder.decode(bytes, fileName: "\(object["record_id"] ?? "x").json") {
        case .success(let r): record = r
        case .failure(let e):
            XCTFail("fixture refused: \(e.reason)", file: file, line: line)
            return []
        }
        let ingested = try store.ingest(record, bytes: bytes, alerts: rules.evaluate(record), rules: rules)
        outcomes.append(ingested.outcome)
        if ingested.outcome == .stored { decisions += ingested.decisions }
        return ingested.outcome == .stored ? ingested.decisions : []
    }

    /// Feeds records as one group, in one transaction (TripStore.ingest(_:rules:), as the
    /// daemon stores a burst, each with the CEL value its rules made, which the trip rules
    /// reuse; `feed` leaves it out, so the trip rules convert the record again); returns each
    /// record's outcome.
    @discardableResult
    func feedGroup(_ objects: [[String: Any]], file: StaticString = #filePath, line: UInt = #line) throws -> [TripStore.Outcome] {
        var arrivals: [TripStore.Arrival] = []
        for object in objects {
            let bytes = TripFixtures.bytes(object)
            switch RecordDecoder.decode(bytes, fileName: "\(object["record_id"] ?? "x").json") {
            case .success(let record):
                let (alerts, value) = rules.evaluateKeepingValue(record)
                arrivals.append(TripStore.Arrival(record, bytes: bytes, alerts: alerts, rules: rules, value: value))
            case .failure(let e):
                XCTFail("fixture refused: \(e.reason)", file: file, line: line)
            }
        }
        var made: [TripStore.Outcome] = []
        for result in store.ingest(arrivals, rules: rules) {
            let ingested = try result.get()
            outcomes.append(ingested.outcome)
            made.append(ingested.outcome)
            if ingested.outcome == .stored { decisions += ingested.decisions }
        }
        return made
    }

    /// The last decision about `trip`.
    func verdict(_ trip: String) -> TripDecision? { decisions.last { $0.tripID == trip } }
}
