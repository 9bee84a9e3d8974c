import CascadeSupport
import Foundation
import YieldFit

extension FitWorkflow {
  /// Fills the publication part of `fit` from the options as typed (`--impacts-on`, `--groups`,
  /// `--strategy`, `--tolerance`, `--poi none`).
  static func applyPublishOptions(_ request: FitWorkflowRequest, to fit: inout FitRequest) throws {
    if fit.poi == "none" {
      fit.poi = nil
      fit.publish.backgroundOnly = true
    }
    if let on = request.impactsOn {
      fit.publish.impactsOn = ColumnList.parse(on)
      if !fit.publish.impacts { throw UserError("--impacts-on needs --impacts") }
    }
    if let g = request.groupsFile {
      fit.publish.groups = try ParameterGroup.load(path: g)
      fit.publish.groupsSource = g + ": "
      if !fit.publish.breakdown { throw UserError("--groups needs --breakdown") }
    }
    if request.strategy != nil || request.tolerance != nil {
      fit.publish.minimizer = try MinimizerOptions(
        strategy: request.strategy ?? 1, tolerance: request.tolerance ?? MinimizerOptions.defaultTolerance)
    }
    if request.patchName != nil && request.patchset == nil { throw UserError("--patch-name needs --patchset FILE") }
    if request.patchset != nil && request.patchName == nil { throw UserError("--patchset needs --patch-name NAME") }
  }

  /// The workspace at `path` with the patches applied in order: the `--patch` files, then the
  /// named patch of a patchset (as `pyhf cls BkgOnly.json -p patch.json`); errors name the patch,
  /// the operation and its path, or the patched workspace's JSON path.
  static func patchedWorkspace(_ path: String, patches: [String], patchset: String?, patchName: String?) throws -> Workspace {
    guard !patches.isEmpty || patchset != nil else { return try WorkspaceReader.read(path: path) }
    var document = try JSONValue.load(path: path)
    var applied: [String] = []
    for p in patches {
      document = try JSONPatch(json: JSONValue.load(path: p), source: p).apply(to: document)
      applied.append(p)
    }
    if let patchset, let patchName {
      let set = try PatchSet(json: JSONValue.load(path: patchset), source: patchset)
      document = try set.patch(named: patchName, source: patchset).apply(to: document)
      applied.append("\(patchset) (\(patchName))")
    }
    return try WorkspaceReader.parse(JSONCursor(document, source: "\(path) patched with \(applied.joined(separator: ", "))"))
  }
}
