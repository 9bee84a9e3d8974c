import Foundation
import TestSupport
import Testing

/// YieldFit stands alone: its target depends on CascadeSupport only (a standalone fit links no
/// HDF5) and none of its sources imports a cascade module.
@Suite struct ModuleBoundaryTests {
  @Test func yieldFitDependsOnCascadeSupportOnly() throws {
    let manifest = try String(contentsOfFile: TestPaths.packageRoot + "/Package.swift", encoding: .utf8)
    let line = manifest.split(separator: "\n").first { $0.contains(".target(name: \"YieldFit\"") }
    #expect(line?.trimmingCharacters(in: .whitespaces) == #".target(name: "YieldFit", dependencies: ["CascadeSupport"]),"#)
  }

  @Test func yieldFitSourcesImportNoCascadeModule() throws {
    let root = TestPaths.packageRoot + "/Sources/YieldFit"
    let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
    #expect(files.count > 20)
    var imports = Set<String>()
    for f in files {
      let text = try String(contentsOfFile: root + "/" + f, encoding: .utf8)
      for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@testable import ") {
        imports.insert(String(line.split(separator: " ").last!))
      }
    }
    #expect(imports.isSubset(of: ["CascadeSupport", "Foundation"]), "\(imports.sorted())")
  }
}
