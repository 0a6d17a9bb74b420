// swift-tools-version:6.0
import PackageDescription

/// The hot loops (TPE's kernel sums, expression evaluation) are written for SIMD; swiftc's default x86-64
/// target has neither AVX2 nor FMA, and building for Haswell (2013) and later was 2-3x faster here
/// (../shared/bench/sr/EVALUATION_FACTS.md). Set SYMSTUDY_PORTABLE=1 to build for any x86-64.
/// SYMSTUDY_FMA tells the kernels that fused multiply-add is an instruction (it is on arm64 too).
let hotLoopSettings: [SwiftSetting] = {
    #if arch(x86_64)
    if Context.environment["SYMSTUDY_PORTABLE"] == nil {
        return [.unsafeFlags(["-target-cpu", "haswell"]), .define("SYMSTUDY_FMA")]
    }
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
        .target(name: "SymbolicRegression", dependencies: ["CGSL"], swiftSettings: hotLoopSettings),
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
                "PolicyLearning", "StudyService", "Dashboard", "StudyEngine", "SymbolicRegression",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The study engine's benchmark runner (`swift run -c release symstudy-bench`); not a test.
        .executableTarget(
            name: "symstudy-bench",
            dependencies: [
                "StudyEngine", "SymbolicRegression",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/symstudy-bench"
        ),
        .testTarget(name: "StudyEngineTests", dependencies: ["StudyEngine"]),
        .testTarget(name: "SymbolicRegressionTests", dependencies: ["SymbolicRegression"]),
        .testTarget(name: "symstudyTests", dependencies: ["symstudy"]),
    ],
    swiftLanguageModes: [.v6]
)
