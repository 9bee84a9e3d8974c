import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "run", abstract: "(not yet available)")
  func run() throws { throw UserError("run: not yet available") }
}
