// A real spool in a fresh temporary directory, and plain-Foundation helpers to look at it.
// Setup and inspection use FileManager/Glibc directly, not the code under test.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class SpoolFixture {
    /// The temporary directory holding the spool and any "outside" files.
    let base: String
    let root: String
    let spool: Spool

    init(sizeLimit: Int = Spool.defaultSizeLimit, file: StaticString = #filePath, line: UInt = #line) throws {
        var template = Array("/tmp/spooltests.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw SpoolError(path: "/tmp", reason: .system(call: "mkdtemp", errno: errno))
        }
        base = String(cString: made)
        root = base + "/spool"
        spool = try Spool(root: root, sizeLimit: sizeLimit)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: base)
    }

    func path(_ folder: String, _ name: String? = nil) -> String {
        name.map { "\(root)/\(folder)/\($0)" } ?? "\(root)/\(folder)"
    }

    /// Writes a file straight into a folder (as a careless writer would), optionally with an mtime.
    @discardableResult
    func put(_ folder: String, _ name: String, _ text: String, modified: Date? = nil) -> String {
        let target = path(folder, name)
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data(text.utf8)), target)
        if let modified {
            XCTAssertNoThrow(try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: target))
        }
        return target
    }

    /// Names in a folder, sorted; dotfiles included (nothing is hidden from a test).
    func listing(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(folder))) ?? []).sorted()
    }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file type bits of `path` itself (lstat), or nil if it does not exist.
    func kind(_ path: String) -> mode_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }

    func mode(_ path: String) -> mode_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & 0o7777 : nil
    }
}

/// The bytes of a claimed record, or a test failure.
func bytes(of claimed: ClaimedRecord?, file: StaticString = #filePath, line: UInt = #line) -> [UInt8]? {
    guard let claimed else {
        XCTFail("nothing was claimed", file: file, line: line)
        return nil
    }
    guard case .bytes(let bytes) = claimed.content else {
        XCTFail("\(claimed.name): expected bytes, got \(claimed.content)", file: file, line: line)
        return nil
    }
    return bytes
}

/// The refusal of a claimed record, or a test failure.
func refusal(of claimed: ClaimedRecord?, file: StaticString = #filePath, line: UInt = #line) -> String? {
    guard let claimed else {
        XCTFail("nothing was claimed", file: file, line: line)
        return nil
    }
    guard case .unacceptable(let reason) = claimed.content else {
        XCTFail("\(claimed.name): expected a refusal, got \(claimed.content)", file: file, line: line)
        return nil
    }
    return reason
}

/// A raw inotify watch, for tests that must see every event (including the ones SpoolWatcher drops).
final class RawWatch {
    let fd: Int32

    init(_ path: String, mask: UInt32) {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertGreaterThanOrEqual(inotify_add_watch(fd, path, mask), 0, path)
    }

    deinit { close(fd) }

    /// Every queued event as (mask, name).
    func drain() -> [(mask: UInt32, name: String)] {
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var all: [(UInt32, String)] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return all }
            all += buffer.withUnsafeBytes { SpoolWatcher.decode(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                .map { ($0.mask, $0.name ?? "") }
        }
    }
}

/// A value handed between a test and one helper thread; a semaphore orders the accesses.
final class Shared<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
