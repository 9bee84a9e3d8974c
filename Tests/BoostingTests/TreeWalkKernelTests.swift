import CTreeWalk
import Testing

/// The C kernel of the shallow-tree walk: the dispatched path (AVX2 here), the SSE2 path and the
/// scalar reference reach the same leaf for every row, at every depth it serves.
@Suite struct TreeWalkKernelTests {
  @Test(arguments: [1, 2, 3, 4])
  func simdPathsMatchTheScalarWalk(depth: Int) {
    let shift = 8, chunk = 1 << shift, features = 3
    var state: UInt64 = UInt64(depth)
    func next() -> UInt64 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return state >> 33
    }
    let nodes = (1 << depth) - 1
    let feature = (0..<nodes).map { _ in Int32(next() % UInt64(2 * features)) }
    let levels: [Float] = [-1, -0.5, 0, 0.25, 1, .infinity]
    let threshold = (0..<nodes).map { _ in levels[Int(next() % UInt64(levels.count))] }
    // Two copies per feature (as ScoringProgram lays out a chunk), values on the thresholds and ±∞.
    let special: [Float] = [-.infinity, .infinity, 0, -0.5, 0.25, 1]
    let rows = (0..<(2 * features * chunk)).map { _ -> Float in
      next() % 4 == 0 ? special[Int(next() % UInt64(special.count))] : Float(Int(next() % 4001) - 2000) / 1000
    }
    for m in [8, 16, 200, 256] {
      var expected = [Int32](repeating: -1, count: chunk), dispatched = expected, sse2 = expected
      cascade_walk_dense_scalar(Int32(depth), feature, threshold, rows, Int32(shift), Int32(m), &expected)
      cascade_walk_dense(Int32(depth), feature, threshold, rows, Int32(shift), Int32(m), &dispatched)
      cascade_walk_dense_sse2(Int32(depth), feature, threshold, rows, Int32(shift), Int32(m), &sse2)
      #expect(Array(dispatched[0..<m]) == Array(expected[0..<m]), "m = \(m)")
      #expect(Array(sse2[0..<m]) == Array(expected[0..<m]), "m = \(m)")
      #expect(expected[0..<m].allSatisfy { $0 >= 0 && $0 < 1 << depth })
    }
  }
}
