// ReloadRaceTests (issue 9, finding 8): the rule watcher thread announces a reload while the
// intake thread swaps the rules in force. Before the fix, `announce` read `IntakeLoop.rules`
// (through `context()`) while the intake thread assigned it: a data race on a class
// reference, which ThreadSanitizer reports (scripts/tsan runs this test under it) and which
// could crash the daemon at a reload. Now only the intake thread touches the rules in force;
// events read a locked snapshot from DaemonState. Without TSan this test checks the
// snapshot's values; under TSan it also proves the absence of the race.
import Foundation
import XCTest
@testable import Daemon
import Rules
import Spool
import Systemd
import Trips

final class ReloadRaceTests: XCTestCase {
    func testAnnouncingWhileTheIntakeThreadSwapsRules() throws {
        let scene = try Scene("race")
        defer { scene.remove() }
        let spool = try Spool(root: scene.spool)
        let layers = RuleLayers(directories: [scene.vendorRules])
        func generation(_ station: String) throws -> RuleGeneration {
            var config = StationConfig()
            config.stationCode = station
            return try RuleLoader(layers: layers, config: config).load()
        }
        let first = try generation("RACE-0")
        let state = DaemonState(rulesVersion: first.version)
        let journal = Journal()
        let loop = IntakeLoop(spool: spool, watcher: try SpoolWatcher(spool: spool), writer: JournalWriter(journal: journal),
                              settler: Settler(spool: spool, journal: journal, state: state), journal: journal,
                              state: state, rules: first, notifier: ServiceNotifier(), store: try TripStore(directory: nil))
        let generations = try (1...20).map { try generation("RACE-\($0)") }
        let rounds = 2_000
        print("tried: \(rounds) rule swaps on one thread against \(rounds) event contexts read on another")

        // The rule watcher's side: read the event context, as `announce` does.
        final class Seen: @unchecked Sendable { var stations = Set<String>() }  // read after `done`
        let done = DispatchSemaphore(value: 0)
        let seen = Seen()
        let watcher = Thread {
            for _ in 0..<rounds {
                if let station = loop.context().station { seen.stations.insert(station) }
            }
            done.signal()
        }
        watcher.start()
        // The intake side: offer and adopt generations, as between two records.
        for i in 0..<rounds {
            let g = generations[i % generations.count]
            state.offer(g)
            state.rulesVersion = g.version
            loop.adoptPendingRules()
        }
        done.wait()
        XCTAssertEqual(loop.context().station, generations[(rounds - 1) % generations.count].config.stationCode)
        XCTAssertTrue(seen.stations.allSatisfy { $0.hasPrefix("RACE-") }, "\(seen.stations)")
    }
}
