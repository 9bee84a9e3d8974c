import CascadeSupport

/// How a parameter set is constrained by auxiliary data.
public enum ConstraintType: String, Sendable {
  /// Free parameter (normfactor, shapefactor).
  case unconstrained
  /// Gaussian N(aux | θ, σ) (normsys, histosys, lumi, staterror).
  case normal
  /// Poisson(aux | θ·τ) with τ = (ν/σ)² (shapesys).
  case poisson
}

/// One named parameter set of the model (a scalar, or one component per bin for
/// shapefactor / shapesys / staterror), with pyhf's settings after the measurement's overrides.
public struct ParameterSet: Sendable, Equatable {
  public var name: String
  public var count: Int
  public var isScalar: Bool
  public var constraint: ConstraintType
  public var inits: [Double]
  public var bounds: [[Double]]
  public var fixed: [Bool]
  /// Nominal auxiliary data (constrained sets only).
  public var auxdata: [Double]
  /// Gaussian widths (normal constraint).
  public var sigmas: [Double]
  /// Poisson rate factors τ (poisson constraint).
  public var factors: [Double]
  /// Index of the first component in the model's parameter vector.
  public var offset: Int

  /// `name` for scalars, `name[i]` per component otherwise (pyhf's `par_names`).
  public var componentNames: [String] {
    isScalar ? [name] : (0..<count).map { "\(name)[\($0)]" }
  }
}

/// What a modifier needs from its parameter set before the user's settings are applied
/// (pyhf's `required_parset`); `nil` fields that a set accepts must come from the user.
struct ParameterRequirement: Equatable {
  var constraint: ConstraintType
  var count: Int
  var isScalar: Bool
  var inits: [Double]?
  var bounds: [[Double]]?
  var fixed: [Bool]
  var auxdata: [Double]?
  var sigmas: [Double]?
  var factors: [Double]?
  var acceptsAuxdata: Bool
  var acceptsSigmas: Bool
  var acceptsFactors: Bool

  static func unconstrained(count: Int, scalar: Bool, init value: Double, bounds: [Double]) -> ParameterRequirement {
    ParameterRequirement(
      constraint: .unconstrained, count: count, isScalar: scalar, inits: Array(repeating: value, count: count),
      bounds: Array(repeating: bounds, count: count), fixed: Array(repeating: false, count: count),
      auxdata: nil, sigmas: nil, factors: nil, acceptsAuxdata: false, acceptsSigmas: false, acceptsFactors: false)
  }

  /// A unit-Gaussian-constrained scalar centred at 0 (normsys, histosys).
  static let unitGaussian = ParameterRequirement(
    constraint: .normal, count: 1, isScalar: true, inits: [0], bounds: [[-5, 5]], fixed: [false],
    auxdata: [0], sigmas: nil, factors: nil, acceptsAuxdata: true, acceptsSigmas: false, acceptsFactors: false)

  /// Applies a measurement's `parameters` entry (pyhf's `reduce_paramsets_requirements`).
  func applying(_ user: ParameterConfig?, measurement: String) throws -> ParameterSet {
    var r = self
    let ctx = "measurement \"\(measurement)\": parameter \"\(user?.name ?? "")\""
    func check<T>(_ v: [T]?, _ key: String, accepted: Bool) throws -> [T]? {
      guard let v else { return nil }
      guard accepted else { throw UserError("\(ctx): this parameter does not use \"\(key)\"") }
      guard v.count == count else {
        throw UserError("\(ctx): \"\(key)\" has \(v.count) values, the parameter has \(count)")
      }
      return v
    }
    if let user {
      if let v = try check(user.inits, "inits", accepted: true) { r.inits = v }
      if let v = try check(user.bounds, "bounds", accepted: true) { r.bounds = v }
      if let v = try check(user.auxdata, "auxdata", accepted: acceptsAuxdata) { r.auxdata = v }
      if let v = try check(user.sigmas, "sigmas", accepted: acceptsSigmas) { r.sigmas = v }
      if let v = try check(user.factors, "factors", accepted: acceptsFactors) { r.factors = v }
      if let f = user.fixed { r.fixed = Array(repeating: f, count: count) }
    }
    let name = user?.name ?? ""
    guard let inits = r.inits, let bounds = r.bounds else {
      throw UserError("parameter \"\(name)\": needs \"inits\" and \"bounds\" in the measurement's parameter settings")
    }
    var aux: [Double] = []
    var sigmas: [Double] = []
    var factors: [Double] = []
    switch constraint {
    case .unconstrained: break
    case .normal:
      guard let a = r.auxdata else {
        throw UserError("parameter \"\(name)\": needs \"auxdata\" in the measurement's parameter settings")
      }
      if acceptsSigmas && r.sigmas == nil {
        throw UserError("parameter \"\(name)\": needs \"sigmas\" in the measurement's parameter settings")
      }
      aux = a
      sigmas = r.sigmas ?? Array(repeating: 1, count: count)
    case .poisson:
      aux = r.auxdata ?? []
      factors = r.factors ?? []
    }
    for i in 0..<count {
      let b = bounds[i]
      guard b.count == 2, b[0] <= b[1] else { throw UserError("parameter \"\(name)\": bounds must be [low, high] pairs") }
      guard inits[i] >= b[0], inits[i] <= b[1] else {
        let which = isScalar ? "" : "[\(i)]"
        throw UserError(
          "parameter \"\(name)\(which)\": initial value \(JSONValue.format(inits[i])) lies outside its bounds [\(JSONValue.format(b[0])), \(JSONValue.format(b[1]))]")
      }
    }
    return ParameterSet(
      name: name, count: count, isScalar: isScalar, constraint: constraint, inits: inits, bounds: bounds,
      fixed: r.fixed, auxdata: aux, sigmas: sigmas, factors: factors, offset: 0)
  }
}
