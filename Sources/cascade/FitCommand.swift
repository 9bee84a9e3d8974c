import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct FitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "fit", abstract: "(not yet available)")
  func run() throws { throw UserError("fit: not yet available") }
}
