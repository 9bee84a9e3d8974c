/// Small dense linear algebra for the minimiser (row-major square matrices).
enum LinearAlgebra {
  /// In-place Cholesky factorisation A = L Lᵀ (lower triangle); false if A is not positive definite.
  static func cholesky(_ a: inout [Double], _ n: Int) -> Bool {
    a.withUnsafeMutableBufferPointer { A in
      for j in 0..<n {
        var d = A[j * n + j]
        for k in 0..<j { d -= A[j * n + k] * A[j * n + k] }
        guard d > 0, d.isFinite else { return false }
        let ljj = d.squareRoot()
        A[j * n + j] = ljj
        for i in (j + 1)..<max(j + 1, n) {
          var s = A[i * n + j]
          for k in 0..<j { s -= A[i * n + k] * A[j * n + k] }
          A[i * n + j] = s / ljj
        }
      }
      return true
    }
  }

  /// Solves L Lᵀ x = b with the factor from `cholesky`.
  static func choleskySolve(_ l: [Double], _ n: Int, _ b: [Double]) -> [Double] {
    var y = b
    for i in 0..<n {
      var s = y[i]
      for k in 0..<i { s -= l[i * n + k] * y[k] }
      y[i] = s / l[i * n + i]
    }
    for i in stride(from: n - 1, through: 0, by: -1) {
      var s = y[i]
      for k in (i + 1)..<max(i + 1, n) { s -= l[k * n + i] * y[k] }
      y[i] = s / l[i * n + i]
    }
    return y
  }

  /// Inverse of a symmetric positive-definite matrix, or nil.
  static func inverseSPD(_ a: [Double], _ n: Int) -> [Double]? {
    var l = a
    guard cholesky(&l, n) else { return nil }
    var inv = [Double](repeating: 0, count: n * n)
    var e = [Double](repeating: 0, count: n)
    for j in 0..<n {
      e[j] = 1
      let col = choleskySolve(l, n, e)
      e[j] = 0
      for i in 0..<n { inv[i * n + j] = col[i] }
    }
    // Symmetrise against rounding.
    for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { let m = 0.5 * (inv[i * n + j] + inv[j * n + i]); inv[i * n + j] = m; inv[j * n + i] = m } }
    return inv
  }
}
