import Foundation

/// The constraint term of every parameter component, flattened for the likelihood: the one home
/// of −log p(aux | θ) and its derivatives, used by `Model.nll` and `Model.nllDerivatives`.
///
/// Gaussian (`normal`): ½((a − θ)/σ)² + log σ + ½ log 2π. Poisson (`poisson`, λ = θτ):
/// λ − a log λ + lgamma(a + 1) for a > 0, λ for a = 0 (pyhf's `xlogy`), +∞ when λ ≤ 0 < a.
struct ConstraintTerms: Sendable {
  /// Per component: 0 unconstrained, 1 normal, 2 poisson.
  let kind: [UInt8]
  /// Gaussian width σ (1 where not normal).
  let sigma: [Double]
  /// Poisson rate factor τ (1 where not poisson).
  let factor: [Double]
  /// Nominal auxiliary data (0 where unconstrained).
  let nominalAux: [Double]

  init(_ parameterSets: [ParameterSet]) {
    var kind: [UInt8] = [], sigma: [Double] = [], factor: [Double] = [], aux: [Double] = []
    for s in parameterSets {
      for i in 0..<s.count {
        switch s.constraint {
        case .unconstrained: kind.append(0); sigma.append(1); factor.append(1); aux.append(0)
        case .normal: kind.append(1); sigma.append(s.sigmas[i]); factor.append(1); aux.append(s.auxdata[i])
        case .poisson: kind.append(2); sigma.append(1); factor.append(s.factors[i]); aux.append(s.auxdata[i])
        }
      }
    }
    self.kind = kind
    self.sigma = sigma
    self.factor = factor
    nominalAux = aux
  }

  /// The expected auxiliary data at `pars`: θ (normal), θτ (poisson), the nominal otherwise.
  func expectedAux(_ pars: [Double]) -> [Double] {
    var aux = nominalAux
    for i in 0..<aux.count where kind[i] != 0 {
      aux[i] = kind[i] == 2 ? pars[i] * factor[i] : pars[i]
    }
    return aux
  }

  /// Adds every component's −log p(aux | θ) to `f`, one term after the other, and its gradient
  /// and Hessian diagonal to `sink` (`NoDerivatives` for the value alone: specialised away).
  @inline(__always)
  func accumulate<Sink: ConstraintDerivativeSink>(_ pars: [Double], _ aux: [Double], into f: inout Double, _ sink: inout Sink) {
    let halfLog2Pi = 0.5 * Foundation.log(2 * Double.pi)
    for i in 0..<pars.count {
      switch kind[i] {
      case 1:
        let s = sigma[i]
        let z = (aux[i] - pars[i]) / s
        f += 0.5 * z * z + Foundation.log(s) + halfLog2Pi
        sink.add(i, gradient: (pars[i] - aux[i]) / (s * s), hessian: 1 / (s * s))
      case 2:
        let a = aux[i], tau = factor[i]
        let lam = pars[i] * tau
        if a > 0 {
          guard lam > 0 else { f = .infinity; continue }
          f += lam - a * Foundation.log(lam) + lgamma(a + 1)
          sink.add(i, gradient: tau - a / pars[i], hessian: a / (pars[i] * pars[i]))
        } else {
          f += lam
          sink.addGradient(i, tau)
        }
      default: break
      }
    }
  }
}

/// Receives the constraint terms' gradient and (diagonal) Hessian contributions.
protocol ConstraintDerivativeSink {
  mutating func add(_ i: Int, gradient: Double, hessian: Double)
  mutating func addGradient(_ i: Int, _ gradient: Double)
}

/// Discards derivatives: the value of the constraint terms only.
struct NoDerivatives: ConstraintDerivativeSink {
  @inline(__always) mutating func add(_ i: Int, gradient: Double, hessian: Double) {}
  @inline(__always) mutating func addGradient(_ i: Int, _ gradient: Double) {}
}

/// Adds into a gradient and a dense row-major `n × n` Hessian.
struct DenseDerivatives: ConstraintDerivativeSink {
  var grad: UnsafeMutableBufferPointer<Double>
  var hess: UnsafeMutableBufferPointer<Double>
  let n: Int
  @inline(__always) mutating func add(_ i: Int, gradient: Double, hessian: Double) {
    grad[i] += gradient
    hess[i * n + i] += hessian
  }
  @inline(__always) mutating func addGradient(_ i: Int, _ gradient: Double) { grad[i] += gradient }
}
