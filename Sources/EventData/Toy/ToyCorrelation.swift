import CascadeSupport
import Foundation

/// The `--correlated` toy: a discriminating variable that depends on m_lg within every
/// background, so a plain stage using it sculpts the survivors' m_lg, with the dependence
/// mismodelled in the pseudo-data by a known amount.
///
/// `photon_ptrel` becomes (pT_γ / m_lg) · (m_lg / m₀)^κ: κ = 1 is pT_γ / m₀ — the photon pT
/// scaled by the *nominal* resonance mass instead of the event's mass, a classic choice that
/// carries m_lg into the BDT (pT_γ grows with the mass of the lepton–photon system). The signal
/// sits at m₀, so its distribution barely changes; in the backgrounds the variable now follows
/// m_lg, the stage against Wγ keeps the background whose m_lg is near m₀ and sculpts a peak under
/// the signal. The simulation uses κ = `simulationExponent`, the pseudo-data κ = `dataExponent`:
/// the mass dependence is overstated in the simulation by a known amount.
public struct ToyCorrelation: Sendable, Equatable {
  /// m₀ in GeV.
  public var nominalMass: Double
  public var simulationExponent: Double
  public var dataExponent: Double

  /// A correlation with m₀ = `nominalMass` (GeV) and the exponents κ of the simulation and of the
  /// pseudo-data; the defaults are ``standard``.
  public init(nominalMass: Double = 125, simulationExponent: Double = 1, dataExponent: Double = 0.5) {
    self.nominalMass = nominalMass
    self.simulationExponent = simulationExponent
    self.dataExponent = dataExponent
  }

  /// The shipped `--correlated` setting.
  public static let standard = ToyCorrelation()

  /// `photon_ptrel` of an event with photon pT `photonPt` and mass `mLG`.
  func photonPtRel(photonPt: Double, mLG: Double, data: Bool) -> Double {
    guard mLG > 0 else { return 0 }
    return photonPt / mLG * Foundation.pow(mLG / nominalMass, data ? dataExponent : simulationExponent)
  }

  /// The `correlation` entry of `truth.json`.
  public var jsonValue: JSONValue {
    .object(JSONObject([
      ("variable", .string("photon_ptrel = photon_pt / m_lg * (m_lg / nominal_mass)^exponent")),
      ("nominal_mass", .number(nominalMass)),
      ("simulation_exponent", .number(simulationExponent)),
      ("data_exponent", .number(dataExponent)),
    ]))
  }
}
