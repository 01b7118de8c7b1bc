// InstallTests: `make install PREFIX=/usr DESTDIR=…` puts everything where a station expects it.
import Foundation
import XCTest

final class InstallTests: XCTestCase {
    func testMakeInstallIntoADestdir() throws {
        let destination = NSTemporaryDirectory() + "sg-it-install-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: destination) }
        let make = try runProgram("/usr/bin/make", ["-C", repository.path, "install", "PREFIX=/usr", "DESTDIR=\(destination)",
                                                    "BINARY=\(binary)"])
        XCTAssertEqual(make.status, 0, make.out + make.err)

        let fm = FileManager.default
        XCTAssertTrue(fm.isExecutableFile(atPath: destination + "/usr/bin/stationguard"))
        XCTAssertTrue(fm.fileExists(atPath: destination + "/etc/stationguard/rules.d"))
        let config = try String(contentsOfFile: destination + "/etc/stationguard/stationguard.yaml", encoding: .utf8)
        XCTAssertEqual(config, try String(contentsOfFile: repository.path + "/config/stationguard.yaml", encoding: .utf8))
        let shipped = ((try? fm.contentsOfDirectory(atPath: repository.path + "/rules")) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        let installed = ((try? fm.contentsOfDirectory(atPath: destination + "/usr/share/stationguard/rules")) ?? []).sorted()
        XCTAssertEqual(installed, shipped)
        for unit in ((try? fm.contentsOfDirectory(atPath: repository.path + "/systemd")) ?? []) where unit.hasSuffix(".service") {
            XCTAssertTrue(fm.fileExists(atPath: destination + "/usr/lib/systemd/system/" + unit), unit)
        }
        for catalog in ((try? fm.contentsOfDirectory(atPath: repository.path + "/systemd")) ?? []) where catalog.hasSuffix(".catalog") {
            XCTAssertTrue(fm.fileExists(atPath: destination + "/usr/lib/systemd/catalog/" + catalog), catalog)
        }
        // The spool folders and the service user come from these two: without them the unit cannot start.
        XCTAssertEqual(try? String(contentsOfFile: destination + "/usr/lib/tmpfiles.d/stationguard.conf", encoding: .utf8),
                       try String(contentsOfFile: repository.path + "/systemd/stationguard.tmpfiles", encoding: .utf8))
        XCTAssertEqual(try? String(contentsOfFile: destination + "/usr/lib/sysusers.d/stationguard.conf", encoding: .utf8),
                       try String(contentsOfFile: repository.path + "/systemd/stationguard.sysusers", encoding: .utf8))

        // The installed binary reads the installed config; a second install keeps the admin's config.
        try "station_code: EDITED\n".write(toFile: destination + "/etc/stationguard/stationguard.yaml", atomically: true, encoding: .utf8)
        let again = try runProgram("/usr/bin/make", ["-C", repository.path, "install", "PREFIX=/usr", "DESTDIR=\(destination)",
                                                     "BINARY=\(binary)"])
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(try String(contentsOfFile: destination + "/etc/stationguard/stationguard.yaml", encoding: .utf8), "station_code: EDITED\n")
        XCTAssertTrue(fm.fileExists(atPath: destination + "/etc/stationguard/stationguard.yaml.dist"))
    }
}
