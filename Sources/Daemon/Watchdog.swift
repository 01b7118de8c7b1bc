// Watchdog: WATCHDOG=1 and STATUS= from a timer of its own.
//
// It does not depend on the journal sender: a stalled journald blocks only the writer thread,
// and the daemon is still alive (records wait). It pings only while the intake loop turns
// (its heartbeat is recent), so a loop stuck for good is restarted by systemd.
import Foundation
import Systemd

final class Watchdog {
    init(notifier: ServiceNotifier, state: DaemonState, status: @escaping () -> String) {
        let interval = notifier.watchdogInterval.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
        // Ping at half the watchdog interval; report status every 2 s at least.
        let tick = min(2.0, (interval ?? 4.0) / 2)
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: tick)
                var states: [ServiceState] = [.status(status())]
                if let interval, state.secondsSinceBeat < interval { states.append(.watchdog) }
                _ = try? notifier.notify(states)
            }
        }
        thread.name = "watchdog"
        thread.start()
    }
}
