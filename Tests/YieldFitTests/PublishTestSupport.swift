import CascadeSupport
import Foundation

@testable import YieldFit

/// The closure workspace with observations 7 % above the nominal prediction (rounded), so the
/// fit pulls its parameters.
func publishWorkspace() throws -> Workspace {
  var ws = closureWorkspace()
  let model = try Model(workspace: ws)
  let expected = model.expectedMain(model.inits)
  for (ci, c) in model.channelNames.enumerated() {
    let i = ws.observations.firstIndex { $0.name == c }!
    ws.observations[i].data = model.channelBins[ci].map { (expected[$0] * 1.07).rounded() }
  }
  return ws
}

/// Model, observed data and best fit of `publishWorkspace()`.
func publishFit() throws -> (fitter: Fitter, data: FitData, best: FitResult) {
  let ws = try publishWorkspace()
  let fitter = Fitter(model: try Model(workspace: ws))
  let data = try fitter.model.observedData(ws)
  return (fitter, data, fitter.fit(data))
}
