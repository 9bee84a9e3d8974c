import ArgumentParser
import Boosting
import EventData
import Workflow
import YieldFit

// Enum-valued options parse through ArgumentParser, which lists the values in --help and names
// them when a value is wrong. The enums live with the code that uses them.

extension BoostType: ExpressibleByArgument {}
extension NegativeWeightPolicy: ExpressibleByArgument {}
extension TestStatistic: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension Scheduler: ExpressibleByArgument {}

extension ToyFormat: ExpressibleByArgument {
  /// Case-insensitive, as `--format H5` always was.
  public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
