// The spool's folders, listing and name rules.
import Foundation
import Glibc
import XCTest
@testable import Spool

final class SpoolFoldersTests: XCTestCase {
    func testOpeningCreatesEveryFolderWithItsMode() throws {
        let fixture = try SpoolFixture()
        XCTAssertEqual(fixture.listing(""), ["cur", "done", "new", "quarantine", "tmp"])
        // The modes of systemd/stationguard.tmpfiles: kiosks' folders set-group-ID and sticky, so
        // one kiosk cannot delete or rename another's files (issue 9, finding 9).
        let expected: [String: mode_t] = ["tmp": 0o3770, "new": 0o3770, "cur": 0o750, "done": 0o750, "quarantine": 0o750]
        for (folder, mode) in expected {
            XCTAssertEqual(fixture.kind(fixture.path(folder)), S_IFDIR, folder)
            XCTAssertEqual(fixture.mode(fixture.path(folder)).map { String($0, radix: 8) }, String(mode, radix: 8), folder)
        }
        XCTAssertEqual(fixture.spool.creationWarnings, [])
    }

    /// The folder modes a daemon gives its own spool are those the tmpfiles file gives it.
    func testFolderModesAreTheTmpfilesModes() throws {
        let tmpfiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("systemd/stationguard.tmpfiles")
        let text = try String(contentsOf: tmpfiles, encoding: .utf8)
        var modes: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("d ") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            modes[String(fields[1])] = String(fields[2])
        }
        for folder in Spool.Folder.allCases {
            let mode = try XCTUnwrap(modes["/var/spool/stationguard/\(folder.rawValue)"], folder.rawValue)
            XCTAssertEqual(mode_t(mode, radix: 8), folder.mode, folder.rawValue)
        }
    }

    /// Like systemd's RestrictSUIDSGID= filter: any mkdir or chmod with set-group-ID is EPERM.
    private static func refusingSetGID(_ call: @escaping (String, mode_t) -> Result<Void, Errno>)
        -> (String, mode_t) -> Result<Void, Errno> {
        { path, mode in mode & (S_ISUID | S_ISGID) != 0 ? .failure(.notPermitted) : call(path, mode) }
    }

    func testUnderASetGIDFilterFoldersAreMadeStickyWithoutSetGIDAndSaySo() throws {
        let fixture = try SpoolFixture()
        let path = fixture.base + "/kiosk-folder"
        let missing = try Spool.makeDirectory(path, mode: 0o3770, mkdir: Self.refusingSetGID(SystemCall.mkdir),
                                              chmod: Self.refusingSetGID(SystemCall.chmod))
        XCTAssertEqual(missing, S_ISGID)
        XCTAssertEqual(fixture.mode(path).map { String($0, radix: 8) }, "1770")
    }

    func testUnderASandboxAnExistingFolderIsAcceptedWhateverMkdirSays() throws {
        let fixture = try SpoolFixture()
        for refusal in [EPERM, EACCES, EROFS] {
            let refuse: (String, mode_t) -> Result<Void, Errno> = { _, _ in .failure(Errno(refusal)) }
            XCTAssertEqual(try Spool.makeDirectory(fixture.path("tmp"), mode: 0o3770, mkdir: refuse), 0)
            XCTAssertThrowsError(try Spool.makeDirectory(fixture.base + "/absent", mode: 0o750, mkdir: refuse)) { error in
                XCTAssertEqual(error as? SpoolError, SpoolError(path: fixture.base + "/absent", reason: .system(call: "mkdir", errno: refusal)))
            }
        }
        XCTAssertEqual(fixture.mode(fixture.path("tmp")).map { String($0, radix: 8) }, "3770")
    }

    func testOpeningAgainKeepsExistingFoldersAndTheirModes() throws {
        let fixture = try SpoolFixture()
        XCTAssertEqual(chmod(fixture.path("new"), 0o700), 0)
        fixture.put("new", "A.json", "{}")
        _ = try Spool(root: fixture.root + "/")
        XCTAssertEqual(fixture.mode(fixture.path("new")), 0o700)
        XCTAssertEqual(fixture.listing("new"), ["A.json"])
    }

    func testRootThatIsAFileIsRefused() throws {
        let fixture = try SpoolFixture()
        let file = fixture.base + "/plain"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        XCTAssertThrowsError(try Spool(root: file)) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: file, reason: .notADirectory))
            XCTAssertEqual("\(error)", "\(file): is not a directory (a spool folder must be a real directory, not a symlink)")
        }
    }

    func testSymlinkedFolderIsRefused() throws {
        let fixture = try SpoolFixture()
        let elsewhere = fixture.base + "/elsewhere"
        XCTAssertEqual(mkdir(elsewhere, 0o700), 0)
        XCTAssertEqual(rmdir(fixture.path("quarantine")), 0)
        XCTAssertEqual(symlink(elsewhere, fixture.path("quarantine")), 0)
        XCTAssertThrowsError(try Spool(root: fixture.root)) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: fixture.path("quarantine"), reason: .notADirectory))
        }
    }

    func testMissingParentIsReportedWithTheFailingCall() throws {
        let fixture = try SpoolFixture()
        let root = fixture.base + "/no/such/spool"
        XCTAssertThrowsError(try Spool(root: root)) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: root, reason: .system(call: "mkdir", errno: ENOENT)))
            XCTAssertEqual("\(error)", "\(root): mkdir: No such file or directory")
        }
    }

    func testKioskSideDoesNotCreateAMissingSpool() throws {
        let fixture = try SpoolFixture()
        let mistyped = fixture.base + "/spoool"
        XCTAssertThrowsError(try Spool(root: mistyped, createMissing: false)) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: mistyped, reason: .system(call: "stat", errno: ENOENT)))
        }
        XCTAssertEqual(fixture.listing(".."), ["spool"])
        XCTAssertNoThrow(try Spool(root: fixture.root, createMissing: false))
        XCTAssertEqual(rmdir(fixture.path("tmp")), 0)
        XCTAssertThrowsError(try Spool(root: fixture.root, createMissing: false)) { error in
            XCTAssertEqual(error as? SpoolError, SpoolError(path: fixture.path("tmp"), reason: .system(call: "lstat", errno: ENOENT)))
        }
    }

    func testScanListsOnlyRecordNames() throws {
        let fixture = try SpoolFixture()
        for name in ["A.json", ".hidden.json", "B.json.part", "notes.txt", ".A.json.Xy12Ab", "json", ".json", "C.JSON"] {
            fixture.put("new", name, "{}")
        }
        XCTAssertEqual(try fixture.spool.scan(), ["A.json"])
    }

    func testScanIsOldestFirstThenByName() throws {
        let fixture = try SpoolFixture()
        fixture.put("new", "z.json", "{}", modified: Date(timeIntervalSince1970: 1_700_000_100))
        fixture.put("new", "b.json", "{}", modified: Date(timeIntervalSince1970: 1_700_000_200))
        fixture.put("new", "a.json", "{}", modified: Date(timeIntervalSince1970: 1_700_000_200))
        fixture.put("new", "m.json", "{}", modified: Date(timeIntervalSince1970: 1_600_000_000))
        XCTAssertEqual(try fixture.spool.scan(), ["m.json", "z.json", "a.json", "b.json"])
    }

    func testScanOlderThanLeavesFreshFilesForLater() throws {
        let fixture = try SpoolFixture()
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        fixture.put("new", "settled.json", "{}", modified: now.addingTimeInterval(-10))
        fixture.put("new", "fresh.json", "{}", modified: now.addingTimeInterval(-1))
        XCTAssertEqual(try fixture.spool.scan(olderThan: 5, now: now), ["settled.json"])
        XCTAssertEqual(try fixture.spool.scan(olderThan: 0, now: now), ["settled.json", "fresh.json"])
    }

    func testScanListsOddFilesWithRecordNamesSoTheyCanBeQuarantined() throws {
        let fixture = try SpoolFixture()
        XCTAssertEqual(mkfifo(fixture.path("new", "pipe.json"), 0o600), 0)
        XCTAssertEqual(symlink("/etc/passwd", fixture.path("new", "link.json")), 0)
        XCTAssertEqual(try fixture.spool.scan().sorted(), ["link.json", "pipe.json"])
    }

    func testUnfinishedListsCurWithoutDotfiles() throws {
        let fixture = try SpoolFixture()
        fixture.put("cur", "late.json", "{}", modified: Date(timeIntervalSince1970: 1_700_000_200))
        fixture.put("cur", "early.json", "{}", modified: Date(timeIntervalSince1970: 1_700_000_100))
        fixture.put("cur", ".editor.swp", "")
        XCTAssertEqual(try fixture.spool.unfinished(), ["early.json", "late.json"])
    }

    func testRecordNameRule() {
        let cases: [(String, Bool)] = [
            ("A.json", true), ("K07-20260329-0001.json", true), ("站.json", true), ("a.b.json", true),
            (".json", false), ("json", false), ("A.json.part", false), (".A.json", false),
            ("A.JSON", false), ("A.txt", false), ("../A.json", false), ("a/b.json", false), ("", false),
        ]
        for (name, expected) in cases {
            XCTAssertEqual(Spool.isRecordName(name), expected, name)
        }
    }
}
