import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "inspect", abstract: "(not yet available)")
  func run() throws { throw UserError("inspect: not yet available") }
}
