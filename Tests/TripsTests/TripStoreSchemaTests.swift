// The trip store's schema versions: a store written by an older daemon is migrated when the
// daemon opens it, and the read-only commands refuse it until then (they cannot migrate).
import Foundation
import GRDB
import XCTest
@testable import Trips

final class TripStoreSchemaTests: XCTestCase {
    private func scratch() throws -> String {
        let dir = NSTemporaryDirectory() + "tripstore-schema-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private func indexes(_ path: String) throws -> [String: String] {
        let db = try DatabaseQueue(path: path)
        return try db.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
                .map { ($0["name"] as String, $0["sql"] as String) })
        }
    }

    func testAVersion1StoreIsMigratedByTheDaemonAndRefusedReadOnlyUntilThen() throws {
        let dir = try scratch()
        let path = dir + "/" + TripStore.fileName
        do {
            let old = try DatabaseQueue(path: path)
            try TripStore.migrator.migrate(old, upTo: "v1")
            try old.write { db in
                try db.execute(sql: """
                    INSERT INTO record (record_id, sha256, kind, station_code, driver_id, recorded_at, station_day, file_name, bytes, alerts)
                    VALUES ('k:1', 'ab', 'driver', '440100001', 'D-1', 0, '2026-10-01', 'd.json', x'7b7d', '[]')
                    """)
            }
        }
        XCTAssertNotNil(try indexes(path)["record_departure_day"], "the v1 schema has the index v2 drops")

        XCTAssertThrowsError(try TripStore(directory: dir, readOnly: true)) { error in
            XCTAssertTrue("\(error)".contains("older schema"), "\(error)")
        }

        let store = try TripStore(directory: dir)
        XCTAssertEqual(store.opening, .opened)
        let migrated = try indexes(path)
        XCTAssertNil(migrated["record_departure_day"])
        XCTAssertTrue(migrated["record_driver"]?.contains("WHERE driver_id IS NOT NULL") ?? false, "\(migrated)")
        XCTAssertEqual(try store.records(driver: "D-1").map(\.recordID), ["k:1"], "the v1 rows are kept and found by the new index")
        XCTAssertNoThrow(try TripStore(directory: dir, readOnly: true))
    }
}
