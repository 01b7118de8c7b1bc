// swift-tools-version: 6.0
// StationGuard: keeps unsafe buses, drivers and luggage off the road.
// Modules, dependencies one way: CivilCalendar ← CEL (knows nothing of stations) ← Rules → Records;
// CSystemd ← Systemd; Spool; Daemon composes them; StationGuardCLI is the one binary.
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
    ],
    targets: [
        // The Common Expression Language: parser, checker, planner, evaluator.
        .target(name: "CEL", dependencies: ["CivilCalendar"]),
        // Proleptic Gregorian day numbers: the one calendar arithmetic CEL, Records and Spool share.
        .target(name: "CivilCalendar"),
        // libsystemd (journal, sd_notify): a C shim and the only Swift code that touches it.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .target(name: "Systemd", dependencies: ["CSystemd"]),
        // The kiosk contract: strict JSON, record schema, validation.
        .target(name: "Records", dependencies: ["CivilCalendar"]),
        // Rule sets: YAML files, layering, compiled CEL conditions, alerts.
        .target(name: "Rules", dependencies: ["CEL", "Records", .product(name: "Yams", package: "Yams")]),
        // The spool directory: claim, settle, quarantine, inotify.
        .target(name: "Spool", dependencies: ["CivilCalendar"]),
        // `stationguard run`: composes Spool → Records → Rules → Journal → Spool.
        .target(name: "Daemon", dependencies: ["Spool", "Records", "Rules", "Systemd"]),
        .executableTarget(
            name: "StationGuardCLI",
            dependencies: [
                "CEL", "Records", "Rules", "Spool", "Systemd", "Daemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CELTests", dependencies: ["CEL"]),
        .testTarget(name: "CivilCalendarTests", dependencies: ["CivilCalendar"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records"], exclude: ["Corpus"]),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "Records", "CEL"]),
        .testTarget(name: "SpoolTests", dependencies: ["Spool"]),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd"]),
        .testTarget(name: "IntegrationTests", dependencies: ["Daemon", "Rules", "Records", "Spool", "Systemd"]),
    ],
    swiftLanguageModes: [.v5]
)
