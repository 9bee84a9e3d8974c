// swift-tools-version:6.0
import PackageDescription

// Modules read in the order data flows; none imports a later one:
// CHDF5 (+ CZlib, CDeflate, CLZ4, CZstd, CLZMA, CTreeWalk) → CascadeSupport → EventData → Boosting → Cascade → Evaluation
// → YieldFit (CascadeSupport only: a standalone fit links no HDF5) → Analysis (run-level glue:
// regions → workspace → fit/) → Report → Workflow (one library call per command) → CascadeCLI.
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
    .library(name: "Analysis", targets: ["Analysis"]),
    .library(name: "Report", targets: ["Report"]),
    .library(name: "Workflow", targets: ["Workflow"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // `make docs` only: builds the DocC catalogs (Sources/<Module>/<Module>.docc).
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
  ],
  targets: [
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
    // ROOT basket decompressors (EventData/ROOT): ZLIB, LZ4, ZSTD, LZMA.
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    // HDF5 chunk deflate/inflate on all cores (zlib-format streams, 2–3× zlib's speed).
    .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
    .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "CLZMA", pkgConfig: "liblzma", providers: [.apt(["liblzma-dev"])]),
    // JSON values with paths, atomic writes, user-facing errors: shared by every layer.
    .target(name: "CascadeSupport"),
    .target(name: "EventData", dependencies: ["CHDF5", "CZlib", "CDeflate", "CLZ4", "CZstd", "CLZMA", "CascadeSupport"]),
    // The SIMD tree walk of Boosting's scoring (Swift lowers SIMD masks lane by lane).
    .target(name: "CTreeWalk"),
    .target(name: "Boosting", dependencies: ["CTreeWalk", "CascadeSupport"]),
    .target(name: "Cascade", dependencies: ["EventData", "Boosting", "CascadeSupport"]),
    .target(name: "Evaluation", dependencies: ["Cascade", "Boosting", "EventData", "CascadeSupport"]),
    .target(name: "YieldFit", dependencies: ["CascadeSupport"]),
    .target(name: "Analysis", dependencies: ["Cascade", "EventData", "Evaluation", "YieldFit", "CascadeSupport"]),
    .target(name: "Report", dependencies: ["Evaluation", "YieldFit", "Analysis", "CascadeSupport"]),
    // What each command does, callable (and unit-tested) without the executable.
    .target(
      name: "Workflow",
      dependencies: ["EventData", "Boosting", "Cascade", "Evaluation", "YieldFit", "Analysis", "Report", "CascadeSupport"]),
    // Argument parsing only: every command's run() is one Workflow call.
    .executableTarget(
      name: "CascadeCLI",
      dependencies: [
        "Workflow", "EventData", "Boosting", "Cascade", "YieldFit", "CascadeSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(name: "TestSupport", dependencies: ["CascadeSupport"], path: "Tests/TestSupport"),
    .testTarget(name: "CascadeSupportTests", dependencies: ["CascadeSupport", "TestSupport"]),
    .testTarget(name: "EventDataTests", dependencies: ["EventData", "TestSupport"]),
    .testTarget(name: "BoostingTests", dependencies: ["Boosting", "CTreeWalk", "TestSupport"]),
    .testTarget(name: "CascadeTests", dependencies: ["Cascade", "EventData", "Boosting", "TestSupport"]),
    .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
    .testTarget(name: "YieldFitTests", dependencies: ["YieldFit", "TestSupport"]),
    .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "YieldFit", "Cascade", "TestSupport"]),
    .testTarget(name: "ReportTests", dependencies: ["Report", "TestSupport"]),
    .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "Boosting", "EventData", "Cascade", "Analysis", "TestSupport"]),
  ],
  // Swift 5 mode: the hot loops share unsafe buffers across concurrentPerform workers by design
  // (disjoint fixed blocks), which strict Sendable checking cannot express.
  swiftLanguageModes: [.v5]
)
