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

/// Environments and teachers step millions of times in their own tests (extraction over rendered frames, PPO
/// updates); unoptimised they are 30-100x slower, so they are optimised in debug builds too.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "symstudy",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "symstudy", targets: ["symstudy"]),
        .library(name: "StudyEngine", targets: ["StudyEngine"]),
        .library(name: "SymbolicRegression", targets: ["SymbolicRegression"]),
        .library(name: "Environments", targets: ["Environments"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // GSL through pkg-config: random numbers, distributions, special functions, Levenberg-Marquardt.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // Optuna-like study engine; knows nothing of GP.
        .target(name: "StudyEngine", dependencies: ["CGSL"], swiftSettings: hotLoopSettings),
        // GP engine; knows nothing of studies.
        .target(name: "SymbolicRegression", dependencies: ["CGSL"]),
        // Classic control, object-level games, rendering, object extraction, the Python bridge; steps are hot loops.
        .target(name: "Environments", swiftSettings: hotLoopSettings + optimizedInDebug),
        .target(
            name: "PolicyLearning",
            dependencies: ["SymbolicRegression", "Environments", "StudyEngine", .product(name: "Yams", package: "Yams")],
            swiftSettings: hotLoopSettings + optimizedInDebug
        ),
        .target(name: "StudyService", dependencies: ["StudyEngine"]),
        // The web dashboard: Hummingbird server, JSON API, SVG charts; serves the pages in dashboards/.
        .target(name: "Dashboard", dependencies: ["StudyEngine", .product(name: "Hummingbird", package: "hummingbird")]),
        .executableTarget(
            name: "symstudy",
            dependencies: [
                "PolicyLearning", "Environments", "StudyService", "Dashboard", "StudyEngine",
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
        // What the test targets share: the reference Python, the PostgreSQL URL, running the package's binaries.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "StudyEngineTests", dependencies: ["StudyEngine", "TestSupport"]),
        .testTarget(name: "symstudyTests", dependencies: ["symstudy", "StudyEngine", "TestSupport"]),
        .testTarget(name: "EnvironmentsTests", dependencies: ["Environments", "TestSupport"]),
        .testTarget(
            name: "DashboardTests",
            dependencies: ["Dashboard", "StudyEngine", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "PolicyLearningTests", dependencies: ["PolicyLearning", "Environments", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
