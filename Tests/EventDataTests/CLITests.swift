import CascadeSupport
import Foundation
import Testing
import TestSupport

@testable import EventData

/// `cascade inspect` and `cascade convert` end to end (the built binary).
@Suite struct EventDataCLITests {
  @Test func inspectJSONOfTheReferenceFiles() throws {
    let files = ["h5py_columns.h5", "h5py_compound.h5", "pandas_table.h5"].map { TestPaths.fixture("hdf5/" + $0) }
    let result = try runCascade(["inspect", "--json"] + files)
    #expect(result.status == 0, "\(result.stderr)")
    let parsed = try JSONValue.parse(result.stdout, source: "stdout")
    let expected = try JSONValue.load(path: TestPaths.fixture("hdf5/expected.json"))
    let array = parsed.arrayValue ?? []
    #expect(array.count == 3)
    for (file, obj) in zip(files, array) {
      let name = (file as NSString).lastPathComponent
      let exp = expected[name]!
      #expect(obj.objectValue?.keys == ["file", "layout", "table", "rows", "columns"])
      #expect(obj["file"]?.stringValue == file)
      #expect(obj["table"]?.stringValue == exp["table"]?.stringValue)
      #expect(obj["rows"]?.doubleValue == exp["rows"]?.doubleValue)
      for col in obj["columns"]?.arrayValue ?? [] {
        #expect(col.objectValue?.keys == ["name", "dtype", "min", "max", "nan_count", "sum"])
        let e = exp["columns"]![col["name"]!.stringValue!]!
        #expect(col["dtype"]?.stringValue == e["dtype"]?.stringValue)
        #expect(col["nan_count"]?.doubleValue == e["nan_count"]?.doubleValue)
        let sum: Double = col["sum"]!.doubleValue!
        let want: Double = e["nansum"]!.doubleValue!
        #expect(abs(sum - want) <= 1e-12 * max(1, abs(want)))
      }
    }
    let one = try runCascade(["inspect", "--json", files[0]])
    #expect(try JSONValue.parse(one.stdout, source: "stdout")["layout"]?.stringValue == "columns")
    let text = try runCascade(["inspect", files[2]])
    #expect(text.stdout.hasPrefix("\(files[2])  layout: pytables  table: /events/table  rows: 1234\n"))
  }

  @Test func convertRoundTripAndColumnSelection() throws {
    let dir = TestPaths.temporaryDirectory()
    let src = TestPaths.fixture("hdf5/pandas_table.h5")
    var r = try runCascade(["convert", src, dir + "/a.csv", "--columns", "met,n_jets,is_tight"])
    #expect(r.status == 0, "\(r.stderr)")
    r = try runCascade(["convert", dir + "/a.csv", dir + "/b.h5", "--gzip", "9", "--chunk-rows", "100"])
    #expect(r.status == 0, "\(r.stderr)")
    let back = try openEventFile(dir + "/b.h5").readAll()
    let original = try openEventFile(src).read(columns: ["met", "n_jets", "is_tight"], rows: 0..<1234)
    #expect(back.columnNames == ["met", "n_jets", "is_tight"])
    #expect(bitPatterns(try back.column(named: "met").data) == bitPatterns(try original.column(named: "met").data))
    #expect(try back.column(named: "n_jets").int64Values() == (try original.column(named: "n_jets").int64Values()))
    #expect(try back.column(named: "is_tight").data == original.column(named: "is_tight").data)
    r = try runCascade(["convert", dir + "/b.h5", dir + "/c.csv", "--delimiter", ";"])
    #expect(try String(contentsOfFile: dir + "/c.csv", encoding: .utf8).hasPrefix("met;n_jets;is_tight\n"))
  }

  @Test func errorsAreOneLineAndLeaveNoOutput() throws {
    let dir = TestPaths.temporaryDirectory()
    let csv = writeText("a,b\n1,2\n3,x\n", "bad.csv", in: dir)
    var r = try runCascade(["convert", csv, dir + "/out.h5"])
    #expect(r.status == 1)
    #expect(r.stderr == "cascade: error: \(csv): line 3, column \"b\": \"x\" is not a number\n")
    r = try runCascade(["convert", TestPaths.fixture("hdf5/h5py_columns.h5"), dir + "/out.h5", "--columns", "met,wieght"])
    #expect(r.stderr == "cascade: error: \(TestPaths.fixture("hdf5/h5py_columns.h5")): column \"wieght\" not found (did you mean \"weight\"?)\n")
    r = try runCascade(["inspect", dir + "/missing.h5"])
    #expect(r.status == 1 && r.stderr == "cascade: error: \(dir)/missing.h5: no such file\n")
    #expect(listFiles(dir) == ["bad.csv"])
  }
}
