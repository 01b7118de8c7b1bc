// One daemon per spool: the second holder is refused, by name.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class SpoolLockTests: XCTestCase {
    func testSecondHolderIsRefusedNamingTheFirstPid() throws {
        let fixture = try SpoolFixture()
        let first = try SpoolLock(spool: fixture.spool)
        XCTAssertEqual(fixture.contents(first.path), "\(getpid())\n")
        XCTAssertThrowsError(try SpoolLock(spool: fixture.spool)) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: fixture.root + "/daemon.lock", reason: .locked(holder: getpid())))
            XCTAssertEqual("\(error)", "\(fixture.root)/daemon.lock: the spool is in use by another stationguard daemon (pid \(getpid())); only one daemon may work a spool")
        }
        first.release()
        XCTAssertNoThrow(try SpoolLock(spool: fixture.spool), "released, so free again")
    }

    func testLockIsFreedWhenTheHolderGoesAway() throws {
        let fixture = try SpoolFixture()
        do { _ = try SpoolLock(spool: fixture.spool) }
        XCTAssertNoThrow(try SpoolLock(spool: fixture.spool))
    }

    func testAnotherProcessHoldingTheLockIsNamed() throws {
        let fixture = try SpoolFixture()
        let lockPath = fixture.root + "/daemon.lock"
        // flock(1) takes the lock, then its child writes its own pid (as our daemon would) and sleeps.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-n", lockPath, "/bin/sh", "-c", "echo $$ > \"$0\"; exec sleep 30", lockPath]
        try holder.run()
        var written: Int32?
        for _ in 0..<200 where written == nil {
            written = fixture.contents(lockPath).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if written == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        defer {
            if let written { kill(written, SIGTERM) }
            holder.terminate()
            holder.waitUntilExit()
        }
        let child = try XCTUnwrap(written, "the holder never wrote its pid")
        XCTAssertNotEqual(child, getpid())
        XCTAssertThrowsError(try SpoolLock(spool: fixture.spool)) { error in
            XCTAssertEqual((error as? SpoolError)?.reason, .locked(holder: child))
        }
        XCTAssertEqual(fixture.contents(lockPath), "\(child)\n", "a refused daemon must not touch the holder's pid")
    }

    func testOurLockKeepsAnotherProcessOut() throws {
        let fixture = try SpoolFixture()
        let lock = try SpoolLock(spool: fixture.spool)
        XCTAssertEqual(try runFlock(lock.path), 1, "flock -n must fail while we hold the lock")
        lock.release()
        XCTAssertEqual(try runFlock(lock.path), 0)
    }

    private func runFlock(_ path: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = ["-n", path, "true"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
