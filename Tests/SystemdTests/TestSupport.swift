// Shared by the Systemd tests: unique run tags, reading entries back, running child processes.
import Foundation
import XCTest
@testable import Systemd

enum TestSupport {
    /// A field value no other run shares, to find this test's entries among everyone's.
    static func uniqueTag() -> String { UUID().uuidString.replacingOccurrences(of: "-", with: "") }

    /// Fails the test (not skips it: the suite promises to test the real journald) when no
    /// journald listens.
    static func requireJournald(file: StaticString = #filePath, line: UInt = #line) throws {
        guard Journal().isAvailable else {
            XCTFail("no journald at \(Journal.socketPath): run scripts/start-journald", file: file, line: line)
            throw XCTSkip("no journald")
        }
    }

    /// Synchronizes, then reads every entry with `SG_TEST_RUN=tag`, oldest first.
    static func readBack(tag: String) throws -> [JournalEntry] {
        try Journal().synchronize()
        let reader = try JournalReader()
        try reader.addMatch("SG_TEST_RUN", tag)
        try reader.seekHead()
        return try reader.readToEnd()
    }

    /// Whether the tests run inside scripts/private-journald (and may stop its journald).
    static var privateJournald: String? { ProcessInfo.processInfo.environment["SG_PRIVATE_JOURNALD"] }

    /// The repository's scripts directory.
    static var scripts: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts")
    }

    /// Runs a program to its end; returns its termination status, reason and output.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil
    ) throws -> (status: Int32, reason: Process.TerminationReason, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason, String(decoding: output, as: UTF8.self))
    }
}
