// swift-tools-version:6.0
import PackageDescription

/// The hot loops (TPE's kernel sums, expression evaluation) are written for SIMD; swiftc's default x86-64
/// target has neither AVX2 nor FMA, and building for Haswell (2013) and later was 2-3x faster here
/// (../shared/bench/sr/EVALUATION_FACTS.md). Set SYMSTUDY_PORTABLE=1 to build for any x86-64.
let hotLoopSettings: [SwiftSetting] = {
    #if arch(x86_64)
    if Context.environment["SYMSTUDY_PORTABLE"] == nil { return [.unsafeFlags(["-target-cpu", "haswell"])] }
    #endif
    return []
}()

let package = Package(
    name: "symstudy",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "symstudy", targets: ["symstudy"]),
        .library(name: "StudyEngine", targets: ["StudyEngine"]),
        .library(name: "SymbolicRegression", targets: ["SymbolicRegression"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // GSL through pkg-config: random numbers, distributions, special functions, Levenberg-Marquardt.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // Optuna-like study engine; knows nothing of GP.
        .target(
            name: "StudyEngine",
            dependencies: [
                "CGSL",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: hotLoopSettings
        ),
        // GP engine; knows nothing of studies.
        .target(name: "SymbolicRegression", dependencies: ["CGSL"]),
        .target(name: "Environments"),
        .target(
            name: "PolicyLearning",
            dependencies: ["SymbolicRegression", "Environments", "StudyEngine"]
        ),
        .target(name: "StudyService", dependencies: ["StudyEngine"]),
        .target(name: "Dashboard", dependencies: ["StudyEngine"]),
        .executableTarget(
            name: "symstudy",
            dependencies: [
                "PolicyLearning", "StudyService", "Dashboard", "StudyEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The study engine's benchmark runner (`swift run -c release symstudy-bench`); not a test.
        .executableTarget(
            name: "symstudy-bench",
            dependencies: [
                "StudyEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/symstudy-bench"
        ),
        // A worker process for the storage tests (several of them share one database).
        .executableTarget(name: "symstudy-storage-worker", dependencies: ["StudyEngine"], path: "Tests/StorageWorker"),
        .testTarget(
            name: "StudyEngineTests",
            dependencies: ["StudyEngine", "symstudy-storage-worker", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "symstudyTests", dependencies: ["symstudy"]),
    ],
    swiftLanguageModes: [.v6]
)
