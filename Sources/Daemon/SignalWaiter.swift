// SignalWaiter: SIGTERM/SIGINT (stop) and SIGHUP (reload) as plain calls on a thread of their own.
//
// The signals are blocked in every thread (the mask is set before any thread starts, and threads
// inherit it) and taken with sigwait(2) here, so no code runs in a signal handler.
import Foundation
import Glibc

enum StationSignal {
    case stop(Int32)
    case reload
}

final class SignalWaiter {
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks the handled signals in the calling thread (call before starting threads) and
    /// ignores SIGPIPE (journald's stream socket may close under us while journald is down).
    static func blockSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        Glibc.signal(SIGPIPE, SIG_IGN)
    }

    /// Starts the waiting thread; `handle` runs on it for each signal.
    init(_ handle: @escaping (StationSignal) -> Void) {
        let thread = Thread {
            var set = sigset_t()
            sigemptyset(&set)
            for signal in SignalWaiter.handled { sigaddset(&set, signal) }
            while true {
                var received: Int32 = 0
                guard sigwait(&set, &received) == 0 else { continue }
                handle(received == SIGHUP ? .reload : .stop(received))
            }
        }
        thread.name = "signals"
        thread.start()
    }
}
