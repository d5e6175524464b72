// swift-tools-version:6.0
import PackageDescription

// Release builds drop exclusivity checks in the numeric core: the hot loops run over
// unsafe buffers that never alias, and the checks cost about 10 % at small sizes.
let fast: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
// Debug builds optimize the numeric core too (its safety checks stay on): the tests train
// thousands of steps, and unoptimized Swift runs them 10-30 times slower.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
// On x86-64 the numeric core uses AVX2 (256-bit SIMD) instead of the 2003 baseline's SSE2;
// `noether` checks the processor before it runs any of it. Floating-point results do not
// change: Swift fuses no multiply-add on its own, and every sum's order is written out.
#if arch(x86_64)
    let wideSIMD: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
    let wideSIMD: [SwiftSetting] = []
#endif

let package = Package(
    name: "noether",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "noether", targets: ["noether"]),
        .library(name: "NoetherCore", targets: ["NoetherCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "CPUCheck"),
        // The shipped presets stay editable TOML files in Presets/ and are compiled in.
        .target(
            name: "ShippedPresets", path: "Presets",
            resources: [
                "adam-breaking", "balance-large-step", "bn-equilibrium", "bn-scale-growth", "bn-teleport",
                "edge-of-stability",
                "heavy-ball-edge", "layer-norm", "lazy-vs-rich", "linear-balance", "optimizer-equilibria",
                "noise-equilibrium", "periodic-instability", "relu-balance", "relu-rescale", "relu-steepest",
                "resnet-mini",
                "rmsprop-analogy", "tanh-discrete", "theory-overlay", "translation-momentum", "vgg-mini",
            ].map { .embedInCode("\($0).toml") }),
        .target(
            name: "NoetherCore",
            dependencies: [
                "CBLAS", "ShippedPresets", .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: fast + optimizedInDebug + wideSIMD),
        .target(name: "NoetherUI", dependencies: ["NoetherCore"]),
        .executableTarget(
            name: "noether",
            dependencies: [
                "NoetherCore", "NoetherUI", "CNcursesw", "CPUCheck",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "noether-bench", dependencies: ["NoetherCore", "NoetherUI", "CPUCheck", "CBLAS"],
            path: "Benchmarks/NoetherBench",
            swiftSettings: fast),
        // The tiers of the suite (`scripts/test --fast` leaves the slow suites out).
        .target(name: "TestTiers", path: "Tests/TestTiers"),
        // Fixtures that several test targets share.
        .target(name: "TestFixtures", dependencies: ["NoetherCore"], path: "Tests/TestFixtures"),
        .testTarget(
            name: "NoetherCoreTests", dependencies: ["NoetherCore", "ShippedPresets", "TestTiers", "TestFixtures"]),
        .testTarget(name: "NoetherUITests", dependencies: ["NoetherUI", "NoetherCore", "TestFixtures"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["noether", "NoetherCore", "TestTiers", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
