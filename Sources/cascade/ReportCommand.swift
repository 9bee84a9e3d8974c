import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "report", abstract: "(not yet available)")
  func run() throws { throw UserError("report: not yet available") }
}
