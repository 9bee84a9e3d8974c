import Foundation
import Testing
import TestSupport

/// The bad-input matrix of issue 9, driven through the real binary: every case must end in one
/// `cascade: error:` line naming the file and row/column or JSON path, exit 1, no stack trace,
/// and the directory exactly as it was (see `BadInput.expectError`).
@Suite struct BadInputMatrixTests {
  // MARK: CSV files

  @Test func csvRowWithTooManyFields() throws {
    let dir = try BadInput.samples()
    try BadInput.write("a,b\n1,2\n3,4,5\n", dir + "/x.csv")
    try BadInput.expectError(["inspect", "x.csv"], in: dir, mentions: ["x.csv", "3"])
  }

  @Test func csvRowWithTooFewFields() throws {
    let dir = try BadInput.samples()
    try BadInput.write("a,b,c\n1,2,3\n4,5\n", dir + "/x.csv")
    try BadInput.expectError(["convert", "x.csv", "x.h5"], in: dir, mentions: ["x.csv", "3"])
  }

  @Test func csvNonNumericCell() throws {
    let dir = try BadInput.samples()
    try BadInput.write("a,b\n1,2\n3,4\n5,abc\n", dir + "/x.csv")
    try BadInput.expectError(["convert", "x.csv", "x.h5"], in: dir, mentions: ["x.csv", "abc"])
  }

  @Test func csvUnterminatedQuote() throws {
    let dir = try BadInput.samples()
    try BadInput.write("a,b\n1,2\n\"3,4\n5,6\n", dir + "/x.csv")
    try BadInput.expectError(["inspect", "x.csv"], in: dir, mentions: ["x.csv"])
  }

  @Test func csvEmptyFile() throws {
    let dir = try BadInput.samples()
    try BadInput.write("", dir + "/x.csv")
    try BadInput.expectError(["inspect", "x.csv"], in: dir, mentions: ["x.csv"])
  }

  @Test func csvDuplicateColumn() throws {
    let dir = try BadInput.samples()
    try BadInput.write("a,b,a\n1,2,3\n", dir + "/x.csv")
    try BadInput.expectError(["inspect", "x.csv"], in: dir, mentions: ["x.csv", "\"a\""])
  }

  @Test func raggedCSVInATrainingSample() throws {
    let dir = try BadInput.samples()
    var text = BadInput.csv(n: 300, meanA: 1, meanB: 1, firstEvent: 0)
    text += "300,1.0,2.0\n"
    try BadInput.write(text, dir + "/signal.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["signal.csv", "302"])
  }

  @Test func nonNumericFeatureInATrainingSample() throws {
    let dir = try BadInput.samples()
    let text = BadInput.csv(n: 300, meanA: 1, meanB: 1, firstEvent: 0).replacingOccurrences(of: "\n17,", with: "\n17x,")
    try BadInput.write(text, dir + "/signal.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["signal.csv", "17x"])
  }

  // MARK: NaN / infinity policy: NaN features are missing values; ±inf features and non-finite
  // weights are errors

  @Test func nanFeaturesAreMissingValuesThatTrain() throws {
    let dir = try BadInput.samples()
    var lines = BadInput.csv(n: 300, meanA: 1, meanB: 1, firstEvent: 0).split(separator: "\n").map(String.init)
    lines[5] = "4,nan,1.0,5.0,0.5"
    lines[6] = "5,,1.0,5.0,0.5"
    lines[7] = "6,nan,,5.0,0.5"
    try BadInput.write(lines.joined(separator: "\n") + "\n", dir + "/signal.csv")
    let r = try runCascade(["train", "config.json", "--quiet"], cwd: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let a = try runCascade(["apply", "config.json", "--quiet"], cwd: dir)
    #expect(a.status == 0, "\(a.stderr)")
  }

  @Test(arguments: ["inf", "-inf"])
  func infiniteTrainingFeature(_ spelling: String) throws {
    let dir = try BadInput.samples()
    var lines = BadInput.csv(n: 300, meanA: 1, meanB: 1, firstEvent: 0).split(separator: "\n").map(String.init)
    lines[7] = "6,1.0,\(spelling),5.0,0.5"
    try BadInput.write(lines.joined(separator: "\n") + "\n", dir + "/signal.csv")
    let message = try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["signal.csv", "row 6", "\"b\""])
    #expect(message.contains("feature is \(spelling)"), "\(message)")
  }

  @Test func infiniteFeatureAtApply() throws {
    let dir = try BadInput.trained()
    var lines = BadInput.csv(n: 300, meanA: 0, meanB: 0, firstEvent: 40_000).replacingOccurrences(of: ",weight\n", with: ",w\n")
      .split(separator: "\n").map(String.init)
    lines[151] = "40150,inf,0.0,5.0,0.5"  // data row 150: the second block of chunk_rows 100
    try BadInput.write(lines.joined(separator: "\n") + "\n", dir + "/data.csv")
    try BadInput.expectError(["apply", "config.json", "--quiet"], in: dir, mentions: ["data.csv", "row 150", "\"a\"", "inf"])
  }

  @Test func infiniteFeatureInBDTTrainAndPredict() throws {
    let dir = try BadInput.samples()
    var r = try runCascade(["bdt", "train", "--signal", "signal.csv", "--background", "bkg2.csv", "--features", "a,b", "--trees", "2",
                            "--out", "m.json"], cwd: dir)
    #expect(r.status == 0, "\(r.stderr)")
    var lines = BadInput.csv(n: 300, meanA: 1, meanB: -1, firstEvent: 30_000).split(separator: "\n").map(String.init)
    lines[12] = "30011,-inf,1.0,5.0,0.5"
    try BadInput.write(lines.joined(separator: "\n") + "\n", dir + "/bkg2.csv")
    try BadInput.expectError(["bdt", "train", "--signal", "signal.csv", "--background", "bkg2.csv", "--features", "a,b", "--out", "n.json"],
                             in: dir, mentions: ["bkg2.csv", "row 11", "\"a\"", "-inf"])
    try BadInput.expectError(["bdt", "predict", "--model", "m.json", "--input", "bkg2.csv", "--out", "s.h5"],
                             in: dir, mentions: ["bkg2.csv", "row 11", "\"a\"", "-inf"])
    r = try runCascade(["bdt", "predict", "--model", "m.json", "--input", "signal.csv", "--out", "s.csv"], cwd: dir)
    #expect(r.status == 0, "\(r.stderr)")
  }

  @Test(arguments: ["nan", "inf", "-inf", ""])
  func nonFiniteTrainingWeight(_ spelling: String) throws {
    let dir = try BadInput.samples()
    var lines = BadInput.csv(n: 150, meanA: -1, meanB: 1, firstEvent: 10_000).split(separator: "\n").map(String.init)
    lines[42] = "10041,-1.0,1.0,5.0,\(spelling)"
    try BadInput.write(lines.joined(separator: "\n") + "\n", dir + "/bkg_1.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["bkg_1.csv", "row 41", "\"weight\""])
  }

  @Test func nonFiniteWeightAtApply() throws {
    let dir = try BadInput.trained()
    var lines = BadInput.csv(n: 300, meanA: 1, meanB: -1, firstEvent: 30_000).split(separator: "\n").map(String.init)
    lines[251] = "30250,1.0,-1.0,5.0,inf"
    try BadInput.write(lines.joined(separator: "\n") + "\n", dir + "/bkg2.csv")
    try BadInput.expectError(["apply", "config.json", "--quiet"], in: dir, mentions: ["bkg2.csv", "row 250", "\"weight\""])
  }

  @Test func nonFiniteWeightInARegionFileAtFit() throws {
    let dir = try BadInput.applied()
    // Another tool rewrote a region sample with a NaN weight: the fit must not produce NaN yields.
    let region = dir + "/run/regions/SR/bkg2.h5"
    let csvPath = dir + "/sr.csv"
    let c = try runCascade(["convert", region, csvPath], cwd: dir)
    try #require(c.status == 0, "\(c.stderr)")
    var lines = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n").map(String.init)
    let header = lines[0].split(separator: ",").map(String.init)
    let wi = try #require(header.firstIndex(of: "weight"))
    var cells = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    cells[wi] = "nan"
    lines[1] = cells.joined(separator: ",")
    try BadInput.write(lines.joined(separator: "\n") + "\n", csvPath)
    let back = try runCascade(["convert", csvPath, region], cwd: dir)
    try #require(back.status == 0, "\(back.stderr)")
    try FileManager.default.removeItem(atPath: csvPath)
    try BadInput.expectError(["fit", "--run", "run"], in: dir, mentions: ["bkg2.h5", "row 0", "\"weight\""])
  }

  // MARK: columns and dtypes

  @Test func missingFeatureColumn() throws {
    let dir = try BadInput.samples()
    let text = BadInput.csv(n: 150, meanA: -1, meanB: 1, firstEvent: 20_000).replacingOccurrences(of: "event_number,a,b,m,weight", with: "event_number,a,bb,m,weight")
    try BadInput.write(text, dir + "/bkg_2.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["bkg_2.csv", "\"b\""])
  }

  @Test func missingWeightColumn() throws {
    let dir = try BadInput.samples()
    let text = BadInput.csv(n: 300, meanA: 1, meanB: 1, firstEvent: 0).replacingOccurrences(of: "m,weight\n", with: "m,wgt\n")
    try BadInput.write(text, dir + "/signal.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["signal.csv", "\"weight\""])
  }

  @Test func missingEventNumberColumnAtApply() throws {
    let dir = try BadInput.trained()
    let text = BadInput.csv(n: 300, meanA: 0, meanB: 0, firstEvent: 40_000).replacingOccurrences(of: "event_number,", with: "evt,")
    try BadInput.write(text, dir + "/data.csv")
    try BadInput.expectError(["apply", "config.json", "--quiet"], in: dir, mentions: ["data.csv", "\"event_number\""])
  }

  @Test func renamedColumnSuggestsTheNearestName() throws {
    let dir = try BadInput.samples()
    let text = BadInput.csv(n: 300, meanA: 1, meanB: 1, firstEvent: 0).replacingOccurrences(of: "event_number,a,b,", with: "event_number,a,B,")
    try BadInput.write(text, dir + "/signal.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["signal.csv", "\"b\"", "did you mean \"B\""])
    // `validate` lists every problem, one line each, all naming the config and the JSON path.
    let r = try runCascade(["validate", "config.json"], cwd: dir)
    #expect(r.status == 1)
    let lines = r.stderr.split(separator: "\n")
    #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("config.json: stages[") && $0.contains("signal.csv") }, "\(r.stderr)")
  }

  @Test func mismatchedDtypesAcrossFilesOfOneSample() throws {
    let dir = try BadInput.trained()
    // bkg_2's `m` column holds integers only: inferred int64, float64 in bkg_1.
    var lines = BadInput.csv(n: 150, meanA: -1, meanB: 1, firstEvent: 20_000).split(separator: "\n").map(String.init)
    for i in 1..<lines.count {
      var cells = lines[i].split(separator: ",").map(String.init)
      cells[3] = String(i % 10)
      lines[i] = cells.joined(separator: ",")
    }
    try BadInput.write(lines.joined(separator: "\n") + "\n", dir + "/bkg_2.csv")
    try BadInput.expectError(["apply", "config.json", "--quiet"], in: dir, mentions: ["bkg_2.csv", "\"m\"", "bkg_1.csv"])
  }

  @Test func featureColumnThatIsNotNumeric() throws {
    let dir = try BadInput.samples()
    try BadInput.write("event_number,a,b,m,weight\n1,x,1,1,1\n2,y,1,1,1\n", dir + "/bkg2.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["bkg2.csv"])
  }

  // MARK: HDF5

  @Test func truncatedHDF5() throws {
    let dir = try BadInput.samples()
    let c = try runCascade(["convert", "signal.csv", "signal.h5"], cwd: dir)
    try #require(c.status == 0, "\(c.stderr)")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/signal.h5"))
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir + "/signal.h5"))
    try BadInput.expectError(["inspect", "signal.h5"], in: dir, mentions: ["signal.h5"])
    try BadInput.expectError(["convert", "signal.h5", "back.csv"], in: dir, mentions: ["signal.h5"])
  }

  @Test func corruptHDF5Chunk() throws {
    let dir = try BadInput.samples(rows: 3000)
    let c = try runCascade(["convert", "signal.csv", "signal.h5"], cwd: dir)
    try #require(c.status == 0, "\(c.stderr)")
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/signal.h5")))
    // Overwrite the middle of the file (compressed chunk data) with garbage.
    for i in (bytes.count / 2)..<(bytes.count / 2 + 2000) { bytes[i] = UInt8(truncatingIfNeeded: i &* 131) }
    try Data(bytes).write(to: URL(fileURLWithPath: dir + "/signal.h5"))
    try BadInput.expectError(["convert", "signal.h5", "back.csv"], in: dir, mentions: ["signal.h5"])
  }

  @Test func textFileNamedH5() throws {
    let dir = try BadInput.samples()
    try BadInput.write("event_number,a\n1,2\n", dir + "/fake.h5")
    try BadInput.expectError(["inspect", "fake.h5"], in: dir, mentions: ["fake.h5"])
  }

  @Test func missingInputFile() throws {
    let dir = try BadInput.samples()
    try BadInput.expectError(["inspect", "nothere.h5"], in: dir, mentions: ["nothere.h5"])
  }

  // MARK: samples and stages

  @Test func emptySignalSample() throws {
    let dir = try BadInput.samples()
    try BadInput.write("event_number,a,b,m,weight\n", dir + "/signal.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["s1", "signal"])
  }

  @Test func emptyBackgroundSample() throws {
    let dir = try BadInput.samples()
    try BadInput.write("event_number,a,b,m,weight\n", dir + "/bkg2.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["s2", "bkg2"])
  }

  @Test func stageWithNoSignalLeft() throws {
    // Stage 1's threshold is above every score: all signal goes to CR_bkg, none reaches s2.
    let stages = """
      {"name": "s1", "background": "bkg", "features": ["a", "b"], "working_point": {"threshold": 2.0}},
      {"name": "s2", "background": "bkg2", "features": ["b"], "working_point": {"signal_efficiency": 0.9}}
      """
    let dir = try BadInput.samples(config: BadInput.configText(stages: stages))
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["stages[1]", "no signal"])
  }

  @Test func stageWithNoBackgroundLeft() throws {
    // bkg2 sits at b = -10, far from the signal: stage 1 (vs bkg2 in b) routes all of it to
    // CR_bkg2, so stage 2, which targets bkg2 again, has no background to train on.
    let stages = """
      {"name": "s1", "background": "bkg2", "features": ["b"], "working_point": {"signal_efficiency": 0.9}},
      {"name": "s2", "background": "bkg2", "region": "CR_again", "features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}}
      """
    let dir = try BadInput.samples(config: BadInput.configText(stages: stages))
    try BadInput.write(BadInput.csv(n: 300, meanA: 1, meanB: -10, firstEvent: 30_000), dir + "/bkg2.csv")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["stages[1]", "s2", "bkg2", "no events left"])
  }

  @Test func workingPointThatCannotBeMet() throws {
    // Training may use |w| (negative_weights: abs), but working points use the true weights:
    // with every bkg weight negative no threshold has a background efficiency of 10 %.
    let stages = """
      {"name": "s1", "background": "bkg", "features": ["a", "b"], "working_point": {"background_efficiency": 0.1}},
      {"name": "s2", "background": "bkg2", "features": ["b"], "working_point": {"signal_efficiency": 0.9}}
      """
    let training = #"{"folds": 2, "seed": 1, "chunk_rows": 100, "threads": 1, "negative_weights": "abs"}"#
    let dir = try BadInput.samples(config: BadInput.configText(stages: stages, training: training))
    for f in ["bkg_1.csv", "bkg_2.csv"] {
      let text = try String(contentsOfFile: dir + "/" + f, encoding: .utf8).replacingOccurrences(of: ",0.5\n", with: ",-0.5\n")
      try BadInput.write(text, dir + "/" + f)
    }
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["stages[0]", "working_point", "background"])
  }

  @Test func signalEfficiencyOutOfRange() throws {
    let stages = #"{"name": "s1", "background": "bkg", "features": ["a"], "working_point": {"signal_efficiency": 1.5}}"#
    let dir = try BadInput.samples(config: BadInput.configText(stages: stages))
    try BadInput.expectError(["validate", "config.json"], in: dir, mentions: ["stages[0].working_point.signal_efficiency"])
  }

  // MARK: config error classes

  static let configCases: [(name: String, from: String, to: String, mentions: [String])] = [
    ("syntax", #""name": "bad","#, #""name": "bad""#, ["config.json"]),
    ("unknown top-level key", #""event_number":"#, #""evnet_number": 1, "event_number":"#, ["evnet_number", "event_number"]),
    ("unknown stage key", #""features": ["a", "b"]"#, #""featurs": ["a", "b"], "features": ["a", "b"]"#, ["stages[0]", "featurs"]),
    ("wrong type", #""trees": 4"#, #""trees": "four""#, ["bdt.trees"]),
    ("missing stages", #""stages": ["#, #""stagez": ["#, ["stagez"]),
    ("unknown role", #""role": "data""#, #""role": "daat""#, ["samples[3].role"]),
    ("background not a sample", #""background": "bkg2""#, #""background": "bkg3""#, ["stages[1].background", "bkg3"]),
    ("background is the signal", #""background": "bkg2""#, #""background": "signal""#, ["stages[1].background", "signal"]),
    ("duplicate stage", #""name": "s2""#, #""name": "s1""#, ["stages[1].name", "s1"]),
    ("duplicate sample", #""name": "bkg2", "role""#, #""name": "bkg", "role""#, ["samples[2].name", "bkg"]),
    ("no file matches", #""files": ["bkg_*.csv"]"#, #""files": ["zz*.csv"]"#, ["samples[1].files[0]", "zz*.csv"]),
    ("file not found", #""files": ["data.csv"]"#, #""files": ["nodata.csv"]"#, ["samples[3].files[0]", "nodata.csv"]),
    ("folds", #""folds": 2"#, #""folds": 0"#, ["training.folds"]),
    ("negative weights policy", #""seed": 1"#, #""seed": 1, "negative_weights": "drop""#, ["training.negative_weights", "drop"]),
    ("threads", #""threads": 1"#, #""threads": -2"#, ["training.threads"]),
    ("chunk rows", #""chunk_rows": 100"#, #""chunk_rows": 0"#, ["training.chunk_rows"]),
    ("two working points", #""working_point": {"signal_efficiency": 0.9}}"#, #""working_point": {"signal_efficiency": 0.9, "threshold": 0.5}}"#, ["stages[0].working_point"]),
    ("empty features", #""features": ["b"]"#, #""features": []"#, ["stages[1].features"]),
    ("duplicate features", #""features": ["a", "b"]"#, #""features": ["a", "a"]"#, ["stages[0].features"]),
    ("region name", #""features": ["b"],"#, #""features": ["b"], "region": "SR","#, ["stages[1]", "SR"]),
    ("no signal sample", #""role": "signal""#, #""role": "background""#, ["samples"]),
    ("maximise what", #""working_point": {"signal_efficiency": 0.9}}"#, #""working_point": {"maximize": "purity"}}"#, ["stages[0].working_point.maximize", "purity"]),
    ("fit edges not increasing", #""bins": 5, "range": [0, 10]"#, #""edges": [0, 5, 4, 10]"#, ["fit.edges[2]", "increase"]),
    ("fit range reversed", #""range": [0, 10]"#, #""range": [10, 0]"#, ["fit.range"]),
    ("fit bins without range", #", "range": [0, 10]"#, "", ["fit"]),
    ("fit unknown key", #""observable": "m""#, #""observable": "m", "obsrevable": 1"#, ["fit.obsrevable"]),
    ("empty name", #""name": "bad""#, #""name": """#, ["name"]),
    ("optimise what", #""features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}}"#, #""features": ["a", "b"], "working_point": {"optimize": "expected_purity"}}"#, ["stages[0].working_point.optimize", "expected_purity"]),
    ("optimise error without of", #""features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}}"#, #""features": ["a", "b"], "working_point": {"optimize": "expected_error"}}"#, ["stages[0].working_point.optimize", "of"]),
    ("of without expected_error", #""features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}}"#, #""features": ["a", "b"], "working_point": {"optimize": "expected_poi_error", "of": "mu_bkg"}}"#, ["stages[0].working_point.of"]),
    ("of without optimize", #""features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}}"#, #""features": ["a", "b"], "working_point": {"signal_efficiency": 0.9, "of": "mu_bkg"}}"#, ["stages[0].working_point.of"]),
    ("optimised start", #""features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}}"#, #""features": ["a", "b"], "working_point": {"optimize": "expected_poi_error", "start": {"optimize": "expected_poi_error"}}}"#, ["stages[0].working_point.start", "fixed"]),
    ("optimise and fixed", #""features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}}"#, #""features": ["a", "b"], "working_point": {"optimize": "expected_poi_error", "threshold": 0.5}}"#, ["stages[0].working_point.threshold", "not both"]),
    ("of not a parameter", #""features": ["a", "b"], "working_point": {"signal_efficiency": 0.9}}"#, #""features": ["a", "b"], "working_point": {"optimize": "expected_error", "of": "mu_nope"}}"#, ["stages[0].working_point.of", "mu_nope"]),
    ("optimisation budget", #""chunk_rows": 100, "threads": 1}"#, #""chunk_rows": 100, "threads": 1}, "optimisation": {"budget": 0}"#,
     ["optimisation.budget"]),
  ]

  @Test(arguments: 0..<configCases.count)
  func configError(_ index: Int) throws {
    let c = Self.configCases[index]
    let text = BadInput.configText()
    #expect(text.contains(c.from), "case \(c.name): pattern not in the config")
    let dir = try BadInput.samples(config: text.replacingOccurrences(of: c.from, with: c.to))
    // `train` stops at the first problem (`validate` lists them all, one per line).
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["config.json"] + c.mentions)
  }

  /// An optimised working point's objective is the fit's: without a fit block it is an error.
  @Test func optimisedWorkingPointWithoutFit() throws {
    let stages = #"{"name": "s1", "background": "bkg", "features": ["a"], "working_point": {"optimize": "expected_poi_error"}}"#
    let dir = try BadInput.samples(config: BadInput.configText(stages: stages, fit: ""))
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["stages[0].working_point", "\"fit\" block"])
  }

  /// The optimised stages are searched jointly: one objective for all of them.
  @Test func optimisedStagesWithTwoObjectives() throws {
    let stages = """
      {"name": "s1", "background": "bkg", "features": ["a"], "working_point": {"optimize": "expected_poi_error"}},
      {"name": "s2", "background": "bkg2", "features": ["b"], "working_point": {"optimize": "expected_significance"}}
      """
    let dir = try BadInput.samples(config: BadInput.configText(stages: stages))
    try BadInput.expectError(["validate", "config.json"], in: dir, mentions: ["stages[1].working_point", "same objective"])
  }

  @Test func configFileMissing() throws {
    let dir = try BadInput.samples()
    try BadInput.expectError(["validate", "nope.json"], in: dir, mentions: ["nope.json"])
  }

  @Test func configIsNotAnObject() throws {
    let dir = try BadInput.samples()
    try BadInput.write("[1, 2, 3]", dir + "/config.json")
    try BadInput.expectError(["validate", "config.json"], in: dir, mentions: ["config.json"])
  }

  @Test func configIsBinaryGarbage() throws {
    let dir = try BadInput.samples()
    try Data([0xFF, 0xFE, 0x00, 0x7B, 0x22, 0x80]).write(to: URL(fileURLWithPath: dir + "/config.json"))
    try BadInput.expectError(["validate", "config.json"], in: dir, mentions: ["config.json"])
  }

  // MARK: models and runs

  @Test func applyWithoutModels() throws {
    let dir = try BadInput.samples()
    try BadInput.expectError(["apply", "config.json", "--quiet"], in: dir, mentions: ["s1.json"])
  }

  @Test func truncatedModelFile() throws {
    let dir = try BadInput.trained()
    let path = dir + "/run/models/s2.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try BadInput.write(String(text.prefix(text.count / 2)), path)
    try BadInput.expectError(["apply", "config.json", "--quiet"], in: dir, mentions: ["s2.json"])
  }

  @Test func modelTrainedOnOtherFeatures() throws {
    let dir = try BadInput.trained()
    let text = BadInput.configText().replacingOccurrences(of: #""features": ["b"]"#, with: #""features": ["a"]"#)
    try BadInput.write(text, dir + "/config.json")
    try BadInput.expectError(["apply", "config.json", "--quiet"], in: dir, mentions: ["s2.json", "retrain"])
  }

  @Test func badShardSpec() throws {
    let dir = try BadInput.trained()
    try BadInput.expectError(["apply", "config.json", "--quiet", "--shard", "3/3"], in: dir, mentions: ["3/3"])
  }

  @Test func mergeWithoutShards() throws {
    let dir = try BadInput.applied()
    try BadInput.expectError(["merge", "run", "--quiet"], in: dir, mentions: ["run"])
  }

  // MARK: fit

  @Test func fitObservableNotAColumn() throws {
    let dir = try BadInput.applied()
    let text = BadInput.configText().replacingOccurrences(of: #""observable": "m""#, with: #""observable": "mass""#)
    try BadInput.write(text, dir + "/config.json")
    try BadInput.write(text, dir + "/run/config.json")
    try BadInput.expectError(["fit", "--run", "run"], in: dir, mentions: ["\"mass\""])
  }

  @Test func fitObservableOutsideTheRange() throws {
    // Every event lies outside [100, 200]: the templates are empty, which must be an error
    // naming the region/sample, not a fit of nothing.
    let dir = try BadInput.applied()
    let text = BadInput.configText().replacingOccurrences(of: #""range": [0, 10]"#, with: #""range": [100, 200]"#)
    try BadInput.write(text, dir + "/config.json")
    try BadInput.write(text, dir + "/run/config.json")
    try BadInput.expectError(["fit", "--run", "run"], in: dir, mentions: ["fit", "[100, 200]"])
  }

  static let workspace = """
    {"channels": [{"name": "SR", "samples": [
       {"name": "sig", "data": [5, 6], "modifiers": [{"name": "mu", "type": "normfactor", "data": null}]},
       {"name": "bkg", "data": [50, 60], "modifiers": []}]}],
     "observations": [{"name": "SR", "data": [55, 66]}],
     "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}],
     "version": "1.0.0"}
    """

  @Test func workspaceWithWrongShapes() throws {
    let dir = try BadInput.samples()
    try BadInput.write(Self.workspace.replacingOccurrences(of: "[55, 66]", with: "[55, 66, 77]"), dir + "/ws.json")
    try BadInput.expectError(["fit", "ws.json"], in: dir, mentions: ["ws.json", "observations[0].data"])
  }

  @Test func workspaceWithNegativeTemplateBins() throws {
    let dir = try BadInput.samples()
    try BadInput.write(Self.workspace.replacingOccurrences(of: "[50, 60]", with: "[-50, 60]"), dir + "/ws.json")
    try BadInput.expectError(["fit", "ws.json"], in: dir, mentions: ["ws.json", "channels[0].samples", "bin 0", "-45"])
  }

  @Test func workspaceTruncated() throws {
    let dir = try BadInput.samples()
    try BadInput.write(String(Self.workspace.prefix(120)), dir + "/ws.json")
    try BadInput.expectError(["fit", "ws.json"], in: dir, mentions: ["ws.json"])
  }

  @Test func negativeTemplateBinsFromARunAreClippedWithAWarning() throws {
    // Negative-weight events can make a template bin negative: clipped (documented), not fatal.
    let dir = try BadInput.trained()
    let text = try String(contentsOfFile: dir + "/bkg2.csv", encoding: .utf8).replacingOccurrences(of: ",0.5\n", with: ",-0.5\n")
    try BadInput.write(text, dir + "/bkg2.csv")
    let r = try runCascade(["apply", "config.json", "--quiet"], cwd: dir)
    try #require(r.status == 0, "\(r.stderr)")
    let f = try runCascade(["fit", "--run", "run"], cwd: dir)
    #expect(f.status == 0, "\(f.stderr)")
    #expect(f.stderr.contains("clipped"), "\(f.stderr)")
  }

  // MARK: outputs

  @Test func outputPathUnderAFile() throws {
    let dir = try BadInput.samples()
    try BadInput.write("not a directory", dir + "/blocker")
    try BadInput.expectError(["convert", "signal.csv", "blocker/out.h5"], in: dir, mentions: ["blocker"])
    let text = BadInput.configText().replacingOccurrences(of: #""output": "run""#, with: #""output": "blocker/run""#)
    try BadInput.write(text, dir + "/config.json")
    try BadInput.expectError(["train", "config.json", "--quiet"], in: dir, mentions: ["blocker"])
  }

  @Test func unwritableOutputDirectory() throws {
    let dir = try BadInput.samples()
    // /proc refuses new files even for root.
    try BadInput.expectError(["convert", "signal.csv", "/proc/cascade-test/out.csv"], in: dir, mentions: ["/proc/cascade-test"])
  }

  /// Mounts a 64 kB tmpfs (root only); nil when that is not possible here.
  static func tinyFilesystem() -> String? {
    let dir = TestPaths.temporaryDirectory("tinyfs")
    guard getuid() == 0, let r = try? runProcess("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]), r.status == 0 else {
      rmdir(dir)
      return nil
    }
    return dir
  }

  static func unmount(_ dir: String) {
    _ = try? runProcess("/bin/umount", [dir])
    rmdir(dir)
  }

  @Test func diskFullDuringConvert() throws {
    let dir = try BadInput.samples(rows: 6000)
    guard let fs = Self.tinyFilesystem() else { return }  // needs root; covered in CI (root)
    defer { Self.unmount(fs) }
    try BadInput.expectError(["convert", "signal.csv", fs + "/signal.csv"], in: dir, mentions: [fs + "/signal.csv"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: fs).isEmpty)
    try BadInput.expectError(["convert", "signal.csv", fs + "/signal.h5", "--gzip", "0"], in: dir, mentions: [fs + "/signal.h5"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: fs).isEmpty)
  }

  @Test func diskFullDuringApply() throws {
    let dir = try BadInput.trained()
    let big = BadInput.csv(n: 6000, meanA: 1, meanB: -1, firstEvent: 30_000)
    try BadInput.write(big, dir + "/bkg2.csv")
    guard let fs = Self.tinyFilesystem() else { return }
    defer { Self.unmount(fs) }
    try BadInput.expectError(["apply", "config.json", "--quiet", "--models", "run/models", "--out", fs + "/run"], in: dir, mentions: [fs + "/run"])
    #expect(listFiles(fs).isEmpty, "\(listFiles(fs))")
  }
}
