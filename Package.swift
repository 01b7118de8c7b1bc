// swift-tools-version: 6.0
// StationGuard: keeps unsafe buses, drivers and luggage off the road.
// Modules, dependencies one way: CivilCalendar ← CEL (knows nothing of stations) ← Rules → Records;
// CSystemd ← Systemd; Spool; Trips (the trip store: GRDB over SQLite) → Rules; Daemon composes
// them; StationGuardCLI is the one binary.
import PackageDescription

let package = Package(
    name: "StationGuard",
    products: [
        .executable(name: "stationguard", targets: ["StationGuardCLI"]),
        .library(name: "CEL", targets: ["CEL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // The Common Expression Language: parser, checker, planner, evaluator.
        .target(name: "CEL", dependencies: ["CivilCalendar"]),
        // Proleptic Gregorian day numbers: the one calendar arithmetic CEL, Records and Spool share.
        .target(name: "CivilCalendar"),
        // libsystemd (journal, sd_notify): a C shim and the only Swift code that touches it.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(name: "Systemd", dependencies: ["CSystemd"]),
        // libcrypto's SHA-256 (OpenSSL, Debian's libssl-dev): every record is hashed.
        .systemLibrary(name: "CLibcrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The kiosk contract: strict JSON, record schema, validation.
        .target(name: "Records", dependencies: ["CivilCalendar", "CLibcrypto"]),
        // Rule sets: YAML files, layering, compiled CEL conditions, alerts.
        .target(name: "Rules", dependencies: ["CEL", "Records", .product(name: "Yams", package: "Yams")]),
        // The spool directory: claim, settle, quarantine, inotify.
        .target(name: "Spool", dependencies: ["CivilCalendar"]),
        // The trip store (人车联检): recent records by trip, plate, driver and station day, the
        // join that builds each trip, and the decisions taken; SQLite through GRDB.
        .target(name: "Trips", dependencies: ["Records", "Rules", .product(name: "GRDB", package: "GRDB.swift"),
                                             .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // `stationguard run`: composes Spool → Records → Rules → Trips → Journal → Spool.
        .target(name: "Daemon", dependencies: ["Spool", "Records", "Rules", "Trips", "Systemd"]),
        .executableTarget(
            name: "StationGuardCLI",
            dependencies: [
                "CEL", "Records", "Rules", "Spool", "Systemd", "Trips", "Daemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CELTests", dependencies: ["CEL"]),
        .testTarget(name: "CivilCalendarTests", dependencies: ["CivilCalendar"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records"], exclude: ["Corpus"]),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "Records", "CEL"]),
        .testTarget(name: "SpoolTests", dependencies: ["Spool"]),
        .testTarget(name: "TripsTests", dependencies: ["Trips", "Rules", "Records", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Daemon", "Rules", "Records", "Spool", "Systemd", "Trips"]),
    ],
    swiftLanguageModes: [.v5]
)
