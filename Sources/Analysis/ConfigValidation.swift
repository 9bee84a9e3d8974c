import Cascade
import CascadeSupport

/// Everything `cascade validate` checks beyond the config's structure: inputs (files, columns,
/// dtypes) and the `fit` block against the cascade's samples and regions.
public enum ConfigValidation {
  /// One line per problem, each starting with its JSON path.
  public static func problems(_ config: CascadeConfig) -> [String] {
    var problems: [String] = []
    var observable: String?
    if let block = config.fit {
      do {
        let fit = try FitBlock.parse(block)
        observable = fit.observable
        problems += RunFit.problems(config, fit: fit)
      } catch let e as UserError {
        // FitBlock errors read "<file>: <path>: <message>"; keep the path and message.
        let prefix = block.source + ": "
        problems.append(e.message.hasPrefix(prefix) ? String(e.message.dropFirst(prefix.count)) : e.message)
      } catch {
        problems.append("fit: \(error)")
      }
    }
    return problems + config.validateInputs(fitObservable: observable)
  }
}
