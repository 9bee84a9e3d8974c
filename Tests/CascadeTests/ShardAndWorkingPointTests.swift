import Cascade
import CascadeSupport
import Testing

@Suite struct ShardPlannerTests {
  let files = [(sampleIndex: 0, file: "a", rows: 10), (sampleIndex: 0, file: "b", rows: 0), (sampleIndex: 1, file: "c", rows: 7)]

  @Test func shardsCoverEveryRowOnceInOrder() {
    for n in 1...6 {
      var covered: [String: [Int]] = [:]
      var emptyOwners = 0
      for i in 0..<n {
        for p in ShardPlanner.pieces(files: files, shard: ShardSpec(index: i, count: n)) {
          covered[p.file, default: []] += Array(p.rows)
          if p.fileRows == 0 { emptyOwners += 1 }
        }
      }
      #expect(covered["a"] == Array(0..<10))
      #expect(covered["c"] == Array(0..<7))
      #expect(emptyOwners == 1)
    }
  }

  @Test func shardsAreBalanced() {
    let sizes = (0..<3).map { i in ShardPlanner.pieces(files: files, shard: ShardSpec(index: i, count: 3)).reduce(0) { $0 + $1.rows.count } }
    #expect(sizes == [5, 6, 6])
  }

  @Test func parsesShardSpec() throws {
    #expect(try ShardSpec(parsing: "2/8") == ShardSpec(index: 2, count: 8))
    #expect(throws: UserError.self) { try ShardSpec(parsing: "8/8") }
    #expect(throws: UserError.self) { try ShardSpec(parsing: "x") }
  }
}

@Suite struct WorkingPointTests {
  let ss = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]
  let bs = [0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01]
  var ones: [Double] { [Double](repeating: 1, count: 10) }

  @Test func signalEfficiencyKeepsTheRequestedFraction() throws {
    let s = try WorkingPointSolver.solve(.signalEfficiency(0.8), signalScores: ss, signalWeights: ones, backgroundScores: bs, backgroundWeights: ones)
    #expect(s.threshold == 0.2)
    #expect(s.signalEfficiency == 0.8)
    #expect(s.backgroundEfficiency == 0.4)
  }

  @Test func backgroundEfficiencyAndWeights() throws {
    var w = ones
    w[0] = 3  // the most signal-like background event carries 3/12 of the weight
    let s = try WorkingPointSolver.solve(.backgroundEfficiency(0.25), signalScores: ss, signalWeights: ones, backgroundScores: bs, backgroundWeights: w)
    #expect(s.threshold == 0.5)
    #expect(s.backgroundEfficiency == 0.25)
    #expect(s.signalEfficiency == 0.5)
  }

  @Test func significanceIsMaximal() throws {
    let s = try WorkingPointSolver.solve(.maximizeSignificance, signalScores: ss, signalWeights: ones, backgroundScores: bs, backgroundWeights: ones)
    // Scan by hand: threshold 0.5 keeps s=5, b=1 → 5.0; 0.4: 6/√2 = 4.24; 0.6 has b=0 (excluded).
    #expect(s.threshold == 0.5)
    #expect(abs(s.significance - 5) < 1e-12)
  }

  @Test func noBackgroundIsAnError() {
    #expect(throws: UserError("no positive background weight reaches the stage")) {
      try WorkingPointSolver.solve(.threshold(0.5), signalScores: [1], signalWeights: [1], backgroundScores: [], backgroundWeights: [])
    }
  }
}
