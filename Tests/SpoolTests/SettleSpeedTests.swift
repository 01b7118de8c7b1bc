// How many settles per second each durability gives on this disk. Prints figures; asserts only
// that every record arrived (timings on a shared machine are not a pass/fail matter).
import Foundation
import XCTest
@testable import Spool

final class SettleSpeedTests: XCTestCase {
    static let recordCount = 2_000
    /// The daemon keeps at most 256 records in flight; assume one sync per such batch.
    static let batch = 256

    func testSettlesPerSecondImmediateVersusDeferred() throws {
        let immediate = try measure(.immediate)
        let deferred = try measure(.deferred)
        func rate(_ seconds: Double) -> String { String(format: "%.0f", Double(Self.recordCount) / seconds) }
        print("""
            settle speed, \(Self.recordCount) records, spool under /tmp (ext4):
              immediate:                       \(rate(immediate.settling)) settles/s (\(String(format: "%.2f", immediate.settling)) s)
              deferred, settles alone:         \(rate(deferred.settling)) settles/s
              deferred + sync every \(Self.batch) records: \(rate(deferred.settling + deferred.syncing)) settles/s \
            (\(deferred.syncs) syncs, \(String(format: "%.1f", deferred.syncing / Double(deferred.syncs) * 1000)) ms each)
            """)
    }

    private func measure(_ durability: Spool.Durability) throws -> (settling: Double, syncing: Double, syncs: Int) {
        let fixture = try SpoolFixture()
        let names = (1...Self.recordCount).map { "K07-\($0).json" }
        for name in names { fixture.put("cur", name, "{}") }  // as if claimed: setup is not timed
        var settling = 0.0, syncing = 0.0, syncs = 0
        for (index, name) in names.enumerated() {
            let claimed = ClaimedRecord(name: name, content: .bytes(Array("{}".utf8)))
            let start = DispatchTime.now().uptimeNanoseconds
            try fixture.spool.settle(claimed, verdict: .done(date: "2026-03-29"), durability: durability)
            let settled = DispatchTime.now().uptimeNanoseconds
            settling += Double(settled - start) / 1e9
            if durability == .deferred && ((index + 1) % Self.batch == 0 || index + 1 == names.count) {
                try fixture.spool.sync()
                syncing += Double(DispatchTime.now().uptimeNanoseconds - settled) / 1e9
                syncs += 1
            }
        }
        XCTAssertEqual(fixture.listing("cur"), [], "\(durability)")
        XCTAssertEqual(fixture.listing("done/2026-03-29").count, Self.recordCount, "\(durability)")
        XCTAssertEqual(fixture.spool.unsynced.all, [], "\(durability)")
        return (settling, syncing, syncs)
    }
}
