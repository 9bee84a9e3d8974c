import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "generate", abstract: "(not yet available)")
  func run() throws { throw UserError("generate: not yet available") }
}
