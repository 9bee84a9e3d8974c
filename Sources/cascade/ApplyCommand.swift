import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct ApplyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "apply", abstract: "(not yet available)")
  func run() throws { throw UserError("apply: not yet available") }
}
