import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct SubmitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "submit", abstract: "(not yet available)")
  func run() throws { throw UserError("submit: not yet available") }
}
