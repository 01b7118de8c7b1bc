// SpoolWatcher: inotify on new/, turned into hints for the daemon loop.
//
// Events are hints, never the truth (Postfix's pickup "waits for hints"): the loop must rescan
// new/ at start-up, on `.rescan` and every few seconds as a safety net, and a name hinted may
// already be gone (claim returns nil). IN_MOVED_TO covers the Maildir rename and rsync's final
// rename; IN_CLOSE_WRITE covers in-place writers (scp), whose file may be incomplete if the
// copy died: Records rejects it and the daemon quarantines it. IN_Q_OVERFLOW (events lost)
// and the loss of the watch itself become `.rescan`.
import Foundation
import Glibc

/// Watches a spool's new/ folder and wakes the daemon loop with hints.
///
/// `wait` belongs to one thread (the spool loop); `wake` may be called from any thread.
public final class SpoolWatcher: @unchecked Sendable {
    /// What woke `wait(timeout:)`.
    public enum Hint: Equatable, Sendable {
        /// These record names arrived in new/ (in event order, without repeats, record names only).
        case names([String])
        /// Events were lost or the watch on new/ was lost: scan all of new/.
        case rescan
        /// Nothing arrived within the timeout: a good moment for the safety-net rescan.
        case timeout
        /// `wake()` was called (e.g. for shutdown); the caller checks why.
        case woken
    }

    /// Event kinds watched on new/. The corresponding C constants are IN_MOVED_TO, IN_CLOSE_WRITE,
    /// IN_DELETE_SELF, IN_MOVE_SELF and IN_ONLYDIR (IN_Q_OVERFLOW and IN_IGNORED always come).
    static let mask = UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    /// The folder watched (the spool's new/).
    public let folder: String
    private let inotify: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// The watch descriptor on new/; nil after new/ was deleted or moved away, and `wait`
    /// then watches the path again.
    private var watch: Int32?

    /// Starts watching `spool`'s new/ folder.
    /// - Throws: `SpoolError` when inotify cannot be set up (e.g. `inotify_init1` EMFILE: the
    ///   per-user instance limit, fs.inotify.max_user_instances).
    public init(spool: Spool) throws {
        folder = spool.path(.new)
        inotify = try SystemCall.inotifyInit().orThrow("inotify_init1", folder)
        do {
            watch = try SystemCall.inotifyAddWatch(inotify, folder, SpoolWatcher.mask).orThrow("inotify_add_watch", folder)
            (wakeRead, wakeWrite) = try SystemCall.pipe().orThrow("pipe", folder)
        } catch {
            SystemCall.close(inotify)
            throw error
        }
    }

    deinit {
        SystemCall.close(inotify)
        SystemCall.close(wakeRead)
        SystemCall.close(wakeWrite)
    }

    /// Makes a current or the next `wait` return `.woken`. Safe to call from any thread or a
    /// signal handler's thread; calls before the wait are not lost.
    public func wake() {
        var byte: UInt8 = 1
        _ = valueOrErrno { Glibc.write(wakeWrite, &byte, 1) }  // a full pipe is already a wake-up
    }

    /// Waits until record names arrive in new/, events are lost, `wake()` is called, or `timeout`
    /// seconds pass. Events naming no record (dotfiles, `.part`, rsync temporaries) are dropped and
    /// the wait goes on.
    /// - Throws: `SpoolError` when inotify cannot be read or new/ cannot be watched again.
    public func wait(timeout: Double) throws -> Hint {
        // Clamped so no timeout (NaN, infinite, huge) can trap the conversion to milliseconds.
        let deadline = monotonicSeconds() + (timeout.isNaN ? 0 : min(max(0, timeout), 86_400))
        if watch == nil {
            // new/ vanished earlier; it may be back (Spool(root:) recreates it): watch it again.
            watch = try SystemCall.inotifyAddWatch(inotify, folder, SpoolWatcher.mask).orThrow("inotify_add_watch", folder)
            return .rescan
        }
        while true {
            let remaining = deadline - monotonicSeconds()
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)]
            let milliseconds = Int32((min(max(0, remaining), 86_400) * 1000).rounded(.up))
            let ready = try SystemCall.poll(&fds, timeoutMilliseconds: milliseconds).orThrow("poll", folder)
            if ready == 0 { return .timeout }
            if fds[0].revents != 0 {
                drain(wakeRead)
                return .woken
            }
            let events = try readEvents()
            let hint = SpoolWatcher.hint(for: events, watch: watch)
            if let current = watch, events.lostWatch(current) {
                // A moved-away new/ keeps its watch: drop it, or its events would pose as hints.
                _ = inotify_rm_watch(inotify, current)
                watch = nil
            }
            if hint != .names([]) { return hint }
            if remaining <= 0 { return .timeout }
        }
    }

    // MARK: - Decoding (the unit-test seam for overflow)

    /// One inotify event, as decoded from the kernel's buffer.
    struct Event: Equatable {
        var watch: Int32
        var mask: UInt32
        var name: String?
    }

    /// The events of one read.
    struct Batch {
        var events: [Event]

        /// Whether the watch `current` ended (new/ deleted or moved). Events of older watches,
        /// such as the IN_IGNORED that follows removing one, do not count.
        func lostWatch(_ current: Int32) -> Bool {
            events.contains { $0.watch == current && $0.mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 }
        }
    }

    /// Reads every queued event (the descriptor is non-blocking).
    private func readEvents() throws -> Batch {
        var events: [Event] = []
        // Room for many events; the kernel never splits one across reads.
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            switch buffer.withUnsafeMutableBytes({ SystemCall.read(inotify, into: $0) }) {
            case .success(let read): count = read
            case .failure(.wouldBlock): return Batch(events: events)
            case .failure(let error): throw SpoolError.system("read", folder, error)
            }
            if count == 0 { return Batch(events: events) }
            events += buffer.withUnsafeBytes { SpoolWatcher.decode(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// Decodes the kernel's `struct inotify_event` records (wd, mask, cookie, len, then `len` bytes
    /// of NUL-padded name). A truncated tail is ignored rather than trusted.
    static func decode(_ buffer: UnsafeRawBufferPointer) -> [Event] {
        var events: [Event] = []
        var offset = 0
        let header = 16  // MemoryLayout<inotify_event>.size
        while offset + header <= buffer.count {
            let watch = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            guard offset + header + length <= buffer.count else { break }
            var name: String?
            if length > 0 {
                let raw = buffer[(offset + header)..<(offset + header + length)]
                let bytes = raw.prefix { $0 != 0 }
                name = String(validating: bytes, as: UTF8.self)
            }
            events.append(Event(watch: watch, mask: mask, name: name))
            offset += header + length
        }
        return events
    }

    /// The hint a batch of events amounts to: `.rescan` if events or the watch `current` were
    /// lost, otherwise the record names of `current` in order of first appearance (possibly none).
    static func hint(for batch: Batch, watch current: Int32?) -> Hint {
        if batch.events.contains(where: { $0.mask & UInt32(IN_Q_OVERFLOW) != 0 }) { return .rescan }
        guard let current, !batch.lostWatch(current) else { return .rescan }
        var seen = Set<String>()
        var names: [String] = []
        for event in batch.events where event.watch == current && event.mask & UInt32(IN_MOVED_TO | IN_CLOSE_WRITE) != 0 {
            guard let name = event.name, Spool.isRecordName(name), seen.insert(name).inserted else { continue }
            names.append(name)
        }
        return .names(names)
    }

    private func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while case .success(let count) = buffer.withUnsafeMutableBytes({ SystemCall.read(fd, into: $0) }), count > 0 {}
    }

    private func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
