import CascadeSupport
import Testing
@testable import Boosting

/// The compiled scoring program against the plain level-by-level walk, bit for bit.
@Suite struct ScoringProgramTests {
  /// A random tree of at most `depth` levels (irregular: nodes stop splitting at random), with
  /// random default directions and thresholds drawn from a few values so ties occur.
  static func randomForest(features nf: Int, trees: Int, depth: Int, seed: UInt64, float32Sum: Bool = false) -> Forest {
    var rng = SeededRandom(seed: seed)
    var forest = Forest(featureNames: (0..<nf).map { "x\($0)" }, boost: .gradient, baseMargin: 0.25)
    forest.float32Sum = float32Sum
    for _ in 0..<trees {
      // Nodes 0…: children of node k stored in `kids[k]`.
      var kids: [(Int, Int)?] = [nil]
      var levelOf = [0]
      var k = 0
      while k < kids.count {
        if levelOf[k] < depth && (levelOf[k] == 0 || rng.uniform() < 0.8) {
          let l = kids.count
          kids.append(nil); kids.append(nil)
          levelOf.append(levelOf[k] + 1); levelOf.append(levelOf[k] + 1)
          kids[k] = (l, l + 1)
        }
        k += 1
      }
      let thresholds: [Float] = [-1, -0.5, 0, 0.25, 0.5, 1, .infinity]
      let splits = (0..<kids.count).map { _ in
        (rng.below(nf), thresholds[rng.below(thresholds.count)], rng.uniform() < 0.5)
      }
      let values = (0..<kids.count).map { _ in rng.uniform() - 0.5 }
      forest.appendTree(
        count: kids.count, weight: 0.5 + rng.uniform(), children: { kids[$0] }, split: { splits[$0] },
        value: { values[$0] }, gain: { _ in 0 }, cover: { _ in 0 })
    }
    return forest
  }

  /// Columns with NaN, ±∞ and values equal to the thresholds.
  static func randomColumns(features nf: Int, rows: Int, seed: UInt64) -> [[Float]] {
    var rng = SeededRandom(seed: seed)
    let special: [Float] = [.nan, .infinity, -.infinity, 0, 0.5, -1, 1, 0.25]
    return (0..<nf).map { _ in
      (0..<rows).map { _ in
        rng.uniform() < 0.3 ? special[rng.below(special.count)] : Float(rng.uniform() * 4 - 2)
      }
    }
  }

  func expectIdentical(_ forest: Forest, _ columns: [[Float]], threads: Int = 2) {
    let fast = forest.margins(columns: columns, threads: threads)
    let reference = forest.referenceMargins(columns: columns, threads: threads)
    #expect(fast.count == reference.count)
    let mismatches = zip(fast, reference).filter { $0.bitPattern != $1.bitPattern }.count
    #expect(mismatches == 0)
  }

  @Test(arguments: [0, 1, 2, 3, 4, 5, 6, 8])
  func perfectPathMatchesReference(depth: Int) {
    let forest = Self.randomForest(features: 5, trees: 20, depth: depth, seed: UInt64(depth + 1))
    let program = ScoringProgram(forest)
    // Depth ≤ 8 trees without a −∞ threshold all take the perfect path (≤ 4: the SIMD walk).
    #expect(program.trees.allSatisfy { if case .perfect = $0 { return true } else { return false } })
    // 1 000 rows: several 256-row chunks plus a tail not divisible by four.
    expectIdentical(forest, Self.randomColumns(features: 5, rows: 1_003, seed: 9))
  }

  @Test func deepTreesFallBackAndMatch() {
    let forest = Self.randomForest(features: 4, trees: 6, depth: 11, seed: 3)
    let program = ScoringProgram(forest)
    #expect(program.trees.contains { if case .general = $0 { return true } else { return false } })
    expectIdentical(forest, Self.randomColumns(features: 4, rows: 777, seed: 4))
  }

  @Test func minusInfinityThresholdFallsBack() {
    var forest = Self.randomForest(features: 3, trees: 4, depth: 3, seed: 5)
    let split = forest.nodes.firstIndex { $0.feature >= 0 }!
    forest.nodes[split].threshold = -.infinity
    forest.nodes[split].defaultLeft = true
    let program = ScoringProgram(forest)
    #expect(program.trees.contains { if case .general = $0 { return true } else { return false } })
    expectIdentical(forest, Self.randomColumns(features: 3, rows: 300, seed: 6))
  }

  @Test func float32SumMatches() {
    let forest = Self.randomForest(features: 6, trees: 30, depth: 6, seed: 11, float32Sum: true)
    expectIdentical(forest, Self.randomColumns(features: 6, rows: 2_500, seed: 12), threads: 1)
  }

  @Test func nanFollowsDefaultDirection() {
    // One split on x0 < 0: NaN goes left with defaultLeft, right without.
    for defaultLeft in [true, false] {
      var forest = Forest(featureNames: ["x0"], boost: .gradient, baseMargin: 0)
      forest.appendTree(
        count: 3, weight: 1, children: { $0 == 0 ? (1, 2) : nil }, split: { _ in (0, 0, defaultLeft) },
        value: { [0, -1, 1][$0] }, gain: { _ in 0 }, cover: { _ in 0 })
      let m = forest.margins(columns: [[.nan, -1, 1, 0, .infinity, -.infinity]])
      #expect(m == [defaultLeft ? -1 : 1, -1, 1, 1, 1, -1])
    }
  }

  @Test func trainedForestMatchesReference() throws {
    let data = toyData(rows: 3_000, features: 4)
    var p = BoostParameters()
    p.trees = 15; p.depth = 5
    let forest = try Trainer.train(data, parameters: p)
    expectIdentical(forest, data.columns)
  }
}

/// The radix sort behind the quantile cuts gives exactly the order of the stable comparison sort.
@Suite struct BinningSortTests {
  @Test func radixSortMatchesStableSort() {
    var rng = SeededRandom(seed: 21)
    let special: [Float] = [0, -0.0, 1, -1, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude]
    for size in [0, 1, 2, 17, 1_000, 5_000] {
      // Few distinct values (many ties, ±0 among them) so the order of equal keys is tested.
      let pairs: [(Float, Double)] = (0..<size).map { i in
        let x = rng.uniform() < 0.3 ? special[rng.below(special.count)] : Float(rng.below(50)) * (rng.uniform() < 0.5 ? -0.5 : 0.25)
        return (x, Double(i))
      }
      var expected = pairs
      expected.sort { $0.0 < $1.0 }
      let sorted = BinnedMatrix.stableSortedByValue(pairs)
      #expect(sorted.map { $0.1 } == expected.map { $0.1 })
      #expect(sorted.map { $0.0.bitPattern } == expected.map { $0.0.bitPattern })
    }
  }
}
