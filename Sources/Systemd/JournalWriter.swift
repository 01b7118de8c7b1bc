// JournalWriter: sends batches of entries from a thread of its own, through a bounded queue.
import Foundation

/// Sends journal entries from a dedicated thread, so that a stalled journald (whose full
/// socket queue blocks `sd_journal_sendv`) never blocks the caller's other duties, such as
/// watchdog pings.
///
/// Callers `submit` a batch (e.g. one record's alerts) with a completion; the completion runs
/// on the sender thread with a `Report` saying how many entries were handed to journald. A
/// batch that finds journald unavailable stops there, so the caller can keep its record for
/// later and back off. `submit` never waits: a full queue is refused at once.
public final class JournalWriter: @unchecked Sendable {
    /// What became of one batch.
    public struct Report: Sendable {
        /// Entries `sd_journal_sendv` accepted, from the first, in order. Accepted is not
        /// stored: only reading back after `Journal.synchronize()` proves that.
        public let handedOver: Int
        /// Entries in the batch.
        public let total: Int
        /// Why the entry at index `handedOver` was not sent; `nil` when all were.
        public let error: JournalError?

        /// Whether every entry was handed over.
        public var isComplete: Bool { error == nil }
        /// Whether journald was not there: back off, then submit the rest again.
        public var journalUnavailable: Bool { error?.isUnavailable ?? false }
    }

    /// Why `submit` refused a batch.
    public enum Refusal: Error, Hashable, Sendable {
        /// `capacity` batches are waiting: journald is slow or stalled.
        case full
        /// `close()` was called.
        case closed
    }

    private let queue: Queue

    /// Starts the sender thread.
    ///
    /// - Parameters:
    ///   - journal: where to send (tests may pass a journal with a substitute send).
    ///   - capacity: batches that may wait, beyond the one being sent.
    public init(journal: Journal = Journal(), capacity: Int = 64) {
        precondition(capacity > 0, "JournalWriter capacity must be positive")
        queue = Queue(capacity: capacity)
        let queue = self.queue
        let thread = Thread { queue.run(journal) }
        thread.name = "journal-writer"
        thread.start()
    }

    deinit { queue.close() }

    /// Queues a batch; returns at once.
    ///
    /// - Parameters:
    ///   - entries: the entries, sent in order, one `sd_journal_sendv` each.
    ///   - completion: called once on the sender thread with the batch's report.
    /// - Throws: `Refusal.full` when `capacity` batches wait, `Refusal.closed` after `close()`.
    public func submit(_ entries: [[JournalField]], completion: @escaping @Sendable (Report) -> Void) throws {
        try queue.append(Batch(entries: { entries }, completion: completion))
    }

    /// Queues a batch whose entries `build` makes on the sender thread, so building them (text
    /// masking, field checks) costs the caller's thread nothing; otherwise as `submit(_:completion:)`.
    public func submit(building build: @escaping @Sendable () -> [[JournalField]],
                       completion: @escaping @Sendable (Report) -> Void) throws {
        try queue.append(Batch(entries: build, completion: completion))
    }

    /// Batches waiting, not counting one being sent.
    public var waitingBatches: Int { queue.locked { $0.waiting } }

    /// When the batch being sent now began, or `nil` when the thread is idle. A time long past
    /// means journald has stalled and the sender thread is blocked in `sd_journal_sendv`.
    public var sendingSince: ContinuousClock.Instant? { queue.locked { $0.sendingSince } }

    /// Stops accepting batches; the thread sends what is queued, then ends.
    public func close() { queue.close() }

    /// Waits until every queued batch has been reported, or `timeout` passes.
    ///
    /// - Returns: `true` when the queue is empty and nothing is being sent.
    public func waitUntilIdle(timeout: Duration) -> Bool { queue.waitUntilIdle(timeout: timeout) }

    // MARK: - Internals

    private struct Batch {
        let entries: @Sendable () -> [[JournalField]]
        let completion: @Sendable (Report) -> Void
    }

    /// The state the caller and the sender thread share, under one lock.
    private final class Queue: @unchecked Sendable {
        let capacity: Int
        let condition = NSCondition()
        /// Waiting batches are `batches[head...]`: taking one moves `head`, not the rest (a
        /// burst keeps hundreds waiting).
        private var batches: [Batch] = []
        private var head = 0
        var waiting: Int { batches.count - head }
        var sendingSince: ContinuousClock.Instant?
        var closed = false

        init(capacity: Int) { self.capacity = capacity }

        func locked<T>(_ body: (Queue) -> T) -> T {
            condition.lock()
            defer { condition.unlock() }
            return body(self)
        }

        func append(_ batch: Batch) throws {
            condition.lock()
            defer { condition.unlock() }
            if closed { throw Refusal.closed }
            if waiting >= capacity { throw Refusal.full }
            batches.append(batch)
            // Only an idle sender waits for work; in a burst it is busy, and a wake-up per
            // record would cost a context switch each.
            if waiting == 1 { condition.broadcast() }
        }

        func close() {
            condition.lock()
            closed = true
            condition.broadcast()
            condition.unlock()
        }

        func waitUntilIdle(timeout: Duration) -> Bool {
            let (seconds, attoseconds) = timeout.components
            let deadline = Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
            condition.lock()
            defer { condition.unlock() }
            while waiting > 0 || sendingSince != nil {
                if !condition.wait(until: deadline) { return waiting == 0 && sendingSince == nil }
            }
            return true
        }

        /// The sender thread's loop.
        func run(_ journal: Journal) {
            while true {
                condition.lock()
                while waiting == 0 && !closed { condition.wait() }
                if waiting == 0 {
                    condition.unlock()
                    return
                }
                let batch = batches[head]
                head += 1
                if head == batches.count {
                    batches.removeAll(keepingCapacity: true)
                    head = 0
                } else if head >= 64 {
                    // A burst that never lets the queue empty: drop the sent ones now and then.
                    batches.removeFirst(head)
                    head = 0
                }
                sendingSince = .now
                condition.unlock()

                let report = Self.send(batch.entries(), to: journal)
                batch.completion(report)

                condition.lock()
                sendingSince = nil
                if waiting == 0 { condition.broadcast() }  // idle: for `waitUntilIdle`
                condition.unlock()
            }
        }

        private static func send(_ entries: [[JournalField]], to journal: Journal) -> Report {
            for (index, entry) in entries.enumerated() {
                do {
                    try journal.send(entry)
                } catch {
                    return Report(handedOver: index, total: entries.count, error: error)
                }
            }
            return Report(handedOver: entries.count, total: entries.count, error: nil)
        }
    }
}
