// swift-tools-version:6.1
import Foundation
import PackageDescription

/// The hot loops (TPE's kernel sums, expression evaluation) are written for SIMD; swiftc's default x86-64
/// target has neither AVX2 nor FMA, and building for Haswell (2013) and later was 2-3x faster here
/// (../shared/bench/sr/EVALUATION_FACTS.md). Set SYMSTUDY_PORTABLE=1 to build for any x86-64.
/// Where the building machine has AVX-512 (F, VL, BW, DQ: Intel since Skylake-SP, AMD since Zen 4, read from
/// /proc/cpuinfo), the build targets it instead: 32 vector registers and masked selects (see hostVectorCPU).
/// SYMSTUDY_TARGET_CPU names another LLVM CPU (`haswell` on a machine whose binaries run elsewhere).
/// SYMSTUDY_FMA tells the kernels that fused multiply-add is an instruction (it is on arm64 too).
let hotLoopSettings: [SwiftSetting] = {
    #if arch(x86_64)
    if Context.environment["SYMSTUDY_PORTABLE"] == nil {
        return [.unsafeFlags(["-target-cpu", Context.environment["SYMSTUDY_TARGET_CPU"] ?? hostVectorCPU]), .define("SYMSTUDY_FMA")]
    }
    #endif
    return []
}()

/// Where this machine has AVX-512 F, VL, BW and DQ: `znver5` / `znver4` on AMD Zen 5 / Zen 4 (CPU family 26 / 25),
/// `skylake-avx512` elsewhere; `haswell` (AVX2 + FMA) otherwise. LLVM's Intel AVX-512 CPUs keep vectors at 256
/// bits; its Zen CPUs use 512: on a Zen 5 EPYC that evaluated Operon's trees 1.3-1.5x faster than the
/// `skylake-avx512` build.
var hostVectorCPU: String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "haswell" }
    let lines = info.split(separator: "\n")
    func field(_ name: String) -> String? {
        lines.first(where: { $0.hasPrefix(name) })?.split(separator: ":", maxSplits: 1).last
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let present = Set((field("flags") ?? "").split(separator: " ").map(String.init))
    guard ["avx512f", "avx512vl", "avx512bw", "avx512dq"].allSatisfy(present.contains) else { return "haswell" }
    if field("vendor_id") == "AuthenticAMD" {
        switch field("cpu family") {
        case "26": return "znver5"
        case "25": return "znver4"
        default: break
        }
    }
    return "skylake-avx512"
}

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
        // The study service (gRPC); its protobuf code is generated once and committed (scripts/generate-protos.sh).
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // `symstudy serve`'s own unary gRPC transport on HTTP/2 frames (both already come with the gRPC transport).
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.36.0"),
        // The dashboard's web server.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
        .target(name: "SymbolicRegression", dependencies: ["CGSL"], swiftSettings: hotLoopSettings),
        // Classic control, object-level games, rendering, object extraction, the Python bridge; steps are hot loops.
        .target(name: "Environments", swiftSettings: hotLoopSettings + optimizedInDebug),
        .target(
            name: "PolicyLearning",
            dependencies: ["SymbolicRegression", "Environments", "StudyEngine", .product(name: "Yams", package: "Yams")],
            swiftSettings: hotLoopSettings + optimizedInDebug
        ),
        // The study server (`symstudy serve`) and its client storages (grpc://, optuna-grpc://).
        .target(
            name: "StudyService",
            dependencies: [
                "StudyEngine",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The web dashboard: Hummingbird server, JSON API, SVG charts; serves the pages in dashboards/.
        .target(name: "Dashboard", dependencies: ["StudyEngine", .product(name: "Hummingbird", package: "hummingbird")]),
        .executableTarget(
            name: "symstudy",
            dependencies: [
                "PolicyLearning", "Environments", "StudyService", "Dashboard", "StudyEngine", "SymbolicRegression",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The study engine's benchmark runner (`swift run -c release symstudy-bench`); not a test.
        .executableTarget(
            name: "symstudy-bench",
            dependencies: [
                "StudyEngine", "SymbolicRegression", "StudyService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/symstudy-bench"
        ),
        // What the test targets share: the reference Python, the PostgreSQL URL, running the package's binaries.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // A worker process for the storage tests (several of them share one database).
        .executableTarget(name: "symstudy-storage-worker", dependencies: ["StudyEngine"], path: "Tests/StorageWorker"),
        .testTarget(
            name: "StudyEngineTests",
            dependencies: ["StudyEngine", "TestSupport", "symstudy-storage-worker", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "SymbolicRegressionTests", dependencies: ["SymbolicRegression", "TestSupport"]),
        .testTarget(name: "symstudyTests", dependencies: ["symstudy", "StudyEngine", "TestSupport"]),
        .testTarget(name: "EnvironmentsTests", dependencies: ["Environments", "TestSupport"]),
        .testTarget(name: "StudyServiceTests", dependencies: ["StudyService", "StudyEngine", "TestSupport"]),
        .testTarget(
            name: "DashboardTests",
            dependencies: ["Dashboard", "StudyEngine", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "PolicyLearningTests", dependencies: ["PolicyLearning", "Environments", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
