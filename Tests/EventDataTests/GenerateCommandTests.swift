import CascadeSupport
import Foundation
import Testing
import TestSupport

@testable import EventData

@Suite struct GenerateCommandTests {
  @Test(arguments: ["h5", "csv"])
  func writesEveryProcessDataAndTruth(format: String) throws {
    let dir = TestPaths.temporaryDirectory("generate")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try runCascade(["generate", "--out", dir, "--events", "5000", "--seed", "3", "--format", format, "--lumi", "20"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(listFiles(dir) == (["data", "signal", "singletop", "ttbar", "ttbar_alt", "wgamma", "wjets"].map { "\($0).\(format)" } + ["truth.json"]).sorted())
    let truth = try JSONValue.load(path: dir + "/truth.json")
    // The files hold exactly what the library generates for the same settings.
    let gen = ToyGenerator(ToySettings(seed: 3, eventsPerProcess: 5000, luminosityFb: 20))
    for p in ToyProcess.all {
      let t = try openEventFile(dir + "/\(p.name).\(format)").readAll()
      let expected = gen.generateMC(p).table
      #expect(try t.column(named: "event_number").int64Values() == expected.column(named: "event_number").int64Values())
      #expect(try t.column(named: "m_lg").float32Values() == expected.column(named: "m_lg").float32Values())
      #expect(try t.column(named: "n_bjets").int64Values() == expected.column(named: "n_bjets").int64Values())
      let w = try t.column(named: "weight").float64Values()
      #expect(abs(w.reduce(0, +) - p.crossSectionFb * 20) < 1e-6 * p.crossSectionFb * 20)
      #expect(truth["processes"]?[p.name]?["file"]?.stringValue == "\(p.name).\(format)")
    }
    let data = try openEventFile(dir + "/data.\(format)").readAll()
    #expect(Double(data.rowCount) == truth["data"]?["events"]?.doubleValue)
    #expect(try data.column(named: "m_lg").float32Values() == gen.generateData().table.column(named: "m_lg").float32Values())
  }

  @Test func badOptionsAreOneLineErrorsWithoutOutput() throws {
    let dir = TestPaths.temporaryDirectory("generate-bad")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cases: [([String], String)] = [
      (["--format", "root"], "cascade: error: The value 'root' is invalid for '--format <format>'. Please provide one of 'h5' and 'csv'."),
      (["--events", "0"], "cascade: error: --events: expected 1 … 900000000, got 0"),
      (["--lumi=-1"], "cascade: error: --lumi: expected a positive number, got -1.0"),
    ]
    for (args, message) in cases {
      let r = try runCascade(["generate", "--out", dir + "/out"] + args)
      #expect(r.status == 1)
      #expect(r.stderr == message + "\n")
      #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }
  }
}
