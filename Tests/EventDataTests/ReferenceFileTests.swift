import CascadeSupport
import Foundation
import Testing
import TestSupport

@testable import EventData

/// The three reference layouts agree with the values numpy computed (expected.json).
@Suite struct ReferenceFileTests {
  static let files = ["h5py_columns.h5", "h5py_compound.h5", "pandas_table.h5"]
  static let layouts: [String: TableLayout] = [
    "h5py_columns.h5": .columns, "h5py_compound.h5": .compound, "pandas_table.h5": .pytables,
  ]

  @Test(arguments: files)
  func matchesExpected(_ name: String) throws {
    let expected = try JSONValue.load(path: TestPaths.fixture("hdf5/expected.json"))[name]!
    let reader = try openEventFile(TestPaths.fixture("hdf5/" + name))
    #expect(reader.layout == Self.layouts[name])
    #expect(reader.tablePath == expected["table"]!.stringValue!)
    #expect(reader.rowCount == Int(expected["rows"]!.doubleValue!))
    let expectedColumns = expected["columns"]!.objectValue!
    #expect(Set(reader.columnNames) == Set(expectedColumns.keys))
    let table = try reader.readAll()
    let summary = try EventFileSummary.compute(reader, blockRows: 100)
    for (colName, spec) in expectedColumns {
      let column = try table.column(named: colName)
      #expect(column.dtype.rawValue == spec["dtype"]!.stringValue!, "\(name) \(colName)")
      let first = spec["first"]!.arrayValue!.map { $0.doubleValue! }
      for (i, v) in first.enumerated() {
        #expect(column.doubleValue(at: i) == v, "\(name) \(colName)[\(i)]")
      }
      let s = summary.columns.first { $0.name == colName }!
      #expect(s.nanCount == Int(spec["nan_count"]!.doubleValue!), "\(name) \(colName) nan_count")
      // numpy sums pairwise, we sum in row order: equal to ~1e-13 relative.
      let nansum = spec["nansum"]!.doubleValue!
      #expect(abs(s.sum - nansum) <= 1e-12 * max(1, abs(nansum)), "\(name) \(colName) sum \(s.sum) vs \(nansum)")
    }
  }
}
