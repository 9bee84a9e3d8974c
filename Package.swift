// swift-tools-version:6.0
import PackageDescription

// Modules read in the order data flows; none imports a later one:
// CHDF5 → CascadeSupport → EventData → Boosting → Cascade → Evaluation → YieldFit → Report → cascade.
let package = Package(
  name: "cascade",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "cascade", targets: ["CascadeCLI"]),
    .library(name: "EventData", targets: ["EventData"]),
    .library(name: "Boosting", targets: ["Boosting"]),
    .library(name: "Cascade", targets: ["Cascade"]),
    .library(name: "Evaluation", targets: ["Evaluation"]),
    .library(name: "YieldFit", targets: ["YieldFit"]),
    .library(name: "Report", targets: ["Report"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    // `make docs` only: builds the DocC catalogs (Sources/<Module>/<Module>.docc).
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
  ],
  targets: [
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
    // JSON values with paths, atomic writes, user-facing errors: shared by every layer.
    .target(name: "CascadeSupport"),
    .target(name: "EventData", dependencies: ["CHDF5", "CascadeSupport"]),
    .target(name: "Boosting", dependencies: ["CascadeSupport"]),
    .target(name: "Cascade", dependencies: ["EventData", "Boosting", "CascadeSupport"]),
    .target(name: "Evaluation", dependencies: ["Cascade", "Boosting", "EventData", "CascadeSupport"]),
    .target(name: "YieldFit", dependencies: ["CascadeSupport", "EventData", "Cascade"]),
    // Run-level fit glue: templates from regions/ and systematics/ → workspace → fit.
    .target(name: "Analysis", dependencies: ["Cascade", "Evaluation", "YieldFit", "EventData", "CascadeSupport"]),
    .target(name: "Report", dependencies: ["Evaluation", "YieldFit", "Cascade", "CascadeSupport"]),
    .executableTarget(
      name: "CascadeCLI",
      dependencies: [
        "EventData", "Boosting", "Cascade", "Evaluation", "YieldFit", "Analysis", "Report", "CascadeSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Sources/cascade"
    ),
    .target(name: "TestSupport", dependencies: ["CascadeSupport"], path: "Tests/TestSupport"),
    .testTarget(name: "CascadeSupportTests", dependencies: ["CascadeSupport", "TestSupport"]),
    .testTarget(name: "EventDataTests", dependencies: ["EventData", "TestSupport"]),
    .testTarget(name: "BoostingTests", dependencies: ["Boosting", "TestSupport"]),
    .testTarget(name: "CascadeTests", dependencies: ["Cascade", "EventData", "Boosting", "TestSupport"]),
    .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
    .testTarget(name: "YieldFitTests", dependencies: ["YieldFit", "TestSupport"]),
    .testTarget(name: "ReportTests", dependencies: ["Report", "TestSupport"]),
    .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Cascade", "YieldFit", "TestSupport"]),
  ],
  // Swift 5 mode: the hot loops share unsafe buffers across concurrentPerform workers by design
  // (disjoint fixed blocks), which strict Sendable checking cannot express.
  swiftLanguageModes: [.v5]
)
