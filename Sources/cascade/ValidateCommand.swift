import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "validate", abstract: "(not yet available)")
  func run() throws { throw UserError("validate: not yet available") }
}
