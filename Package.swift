// swift-tools-version: 6.1
// Wanxia: participation records for a retired-cadres bureau, over MQTT and SQLite.
import PackageDescription

/// What the registrar and every programme service build on: delivery, the contract, spreadsheet imports.
let serviceDependencies: [Target.Dependency] = [
    "WanxiaDelivery",
    "WanxiaSpreadsheet",
    "WanxiaMQTT",
    "WanxiaContract",
    .product(name: "GRDB", package: "GRDB.swift"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
]

/// What a service's tests need besides the service: a real broker and registrar, the bus fixtures.
let serviceTestDependencies: [Target.Dependency] = [
    "WanxiaDelivery", "WanxiaContract", "WanxiaMQTT", "WanxiaTesting", "WanxiaDeliveryTesting", "WanxiaRegistrar",
    .product(name: "GRDB", package: "GRDB.swift"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
]

let package = Package(
    name: "wanxia",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wanxia", targets: ["WanxiaCLI"]),
        .library(name: "WanxiaMQTT", targets: ["WanxiaMQTT"]),
        .library(name: "WanxiaContract", targets: ["WanxiaContract"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // C shim over the system libmosquitto; imported by WanxiaMQTT only.
        .systemLibrary(
            name: "CMosquitto",
            path: "Sources/CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        // C shim for SQLite's process-wide settings (sqlite3_config is variadic); WanxiaDelivery only.
        .target(
            name: "CSQLiteTuning",
            linkerSettings: [.linkedLibrary("sqlite3")]
        ),
        // MQTT transport: async Swift over libmosquitto.
        .target(
            name: "WanxiaMQTT",
            dependencies: [
                "CMosquitto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The topic contract: topic builders and Codable payloads (mirrors Topics/).
        .target(name: "WanxiaContract"),
        // Durable delivery: the SQLite outbox (producer) and inbox (consumer), end-to-end acks.
        .target(
            name: "WanxiaDelivery",
            dependencies: [
                "CSQLiteTuning",
                "WanxiaMQTT",
                "WanxiaContract",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Spreadsheet files as bureaus save them (CSV/TSV, UTF-8 with or without BOM), for imports.
        .target(name: "WanxiaSpreadsheet"),
        // The registrar: the book of record, its ingest, queries and operations.
        .target(
            name: "WanxiaRegistrar",
            dependencies: serviceDependencies
        ),
        // The site agent: what a kiosk, card reader, referee's tablet or teacher's phone runs.
        .target(
            name: "WanxiaSite",
            dependencies: [
                "WanxiaDelivery",
                "WanxiaMQTT",
                "WanxiaContract",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The volunteer teams service: talent pool, teams, activities, check-in/out to hours.
        .target(
            name: "WanxiaVolunteers",
            dependencies: serviceDependencies
        ),
        // The youth mentoring service: pairs, meetings, sponsorships, school talks; minors' identities stay here.
        .target(
            name: "WanxiaMentoring",
            dependencies: serviceDependencies
        ),
        // The competitions service: registration, fixtures in every format, results, standings.
        .target(
            name: "WanxiaCompetitions",
            dependencies: serviceDependencies
        ),
        // The study classes service: cohorts, enrolment, recurring sessions, attendance, essays, completion.
        .target(
            name: "WanxiaClasses",
            dependencies: serviceDependencies
        ),
        // Participation reports and volunteer-hour certificates, from the registrar's file.
        .target(
            name: "WanxiaReports",
            dependencies: [
                "WanxiaRegistrar",
                "WanxiaContract",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A local mosquitto as a child process: `wanxia up` and the test harness both use it.
        .target(
            name: "WanxiaBroker",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Test support: a real mosquitto on a free loopback port, temp folders.
        .target(name: "WanxiaTesting", dependencies: ["WanxiaBroker"]),
        // Benchmarks, release-built: ratios against the stock mosquitto clients and raw SQLite inserts.
        .executableTarget(
            name: "WanxiaBench",
            dependencies: [
                "WanxiaMQTT", "WanxiaContract", "WanxiaDelivery", "WanxiaRegistrar", "WanxiaBroker", "WanxiaSite", "WanxiaReports", "WanxiaVolunteers",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Test support for the bus: a recording consumer, service runners, polling helpers.
        .target(
            name: "WanxiaDeliveryTesting",
            dependencies: ["WanxiaDelivery", "WanxiaTesting", "WanxiaMQTT", "WanxiaContract",
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "WanxiaCLI",
            dependencies: [
                "WanxiaMQTT",
                "WanxiaContract",
                "WanxiaDelivery",
                "WanxiaRegistrar",
                "WanxiaSite",
                "WanxiaVolunteers",
                "WanxiaMentoring",
                "WanxiaCompetitions",
                "WanxiaClasses",
                "WanxiaReports",
                "WanxiaBroker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "WanxiaMQTTTests",
            dependencies: ["WanxiaMQTT", "WanxiaTesting"]
        ),
        .testTarget(
            name: "WanxiaDeliveryTests",
            dependencies: ["WanxiaDelivery", "WanxiaTesting", "WanxiaDeliveryTesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "WanxiaSiteTests",
            dependencies: ["WanxiaSite", "WanxiaDelivery", "WanxiaTesting", "WanxiaDeliveryTesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "WanxiaRegistrarTests",
            dependencies: ["WanxiaRegistrar", "WanxiaDelivery", "WanxiaTesting", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "WanxiaVolunteersTests",
            dependencies: ["WanxiaVolunteers"] + serviceTestDependencies
        ),
        .testTarget(
            name: "WanxiaMentoringTests",
            dependencies: ["WanxiaMentoring"] + serviceTestDependencies
        ),
        .testTarget(
            name: "WanxiaCompetitionsTests",
            dependencies: ["WanxiaCompetitions"] + serviceTestDependencies
        ),
        .testTarget(
            name: "WanxiaClassesTests",
            dependencies: ["WanxiaClasses"] + serviceTestDependencies
        ),
        .testTarget(
            name: "WanxiaReportsTests",
            dependencies: ["WanxiaReports"] + serviceTestDependencies
        ),
        .testTarget(
            name: "WanxiaDeployTests",
            dependencies: ["WanxiaBroker", "WanxiaTesting", "WanxiaDeliveryTesting", "WanxiaMQTT", "WanxiaContract",
                           "WanxiaRegistrar", .product(name: "Logging", package: "swift-log")]
        ),
        // Proof under faults: processes killed at random, a broker lost, a cut or slow link, a full
        // disk, a corpus of bad input; every record still stored once.
        .testTarget(
            name: "WanxiaReliabilityTests",
            dependencies: ["WanxiaSite", "WanxiaBroker"] + serviceTestDependencies
        ),
        .testTarget(
            name: "WanxiaContractTests",
            dependencies: ["WanxiaContract"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
