// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the parsers that read untrusted bytes. Built only by `make fuzz`:
//   swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// Each target checks one invariant: any input ends in a value or a UserError — never a crash,
// a trap, a sanitizer report or another error type.
let package = Package(
  name: "cascade-fuzz",
  dependencies: [.package(name: "cascade", path: "..")],
  targets: [
    .executableTarget(name: "fuzz-csv", dependencies: [.product(name: "EventData", package: "cascade")], path: "Sources/FuzzCSV"),
    .executableTarget(name: "fuzz-config", dependencies: [.product(name: "Cascade", package: "cascade")], path: "Sources/FuzzConfig"),
    .executableTarget(name: "fuzz-workspace", dependencies: [.product(name: "YieldFit", package: "cascade")], path: "Sources/FuzzWorkspace"),
  ],
  swiftLanguageModes: [.v5]
)
