import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct ConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "convert", abstract: "(not yet available)")
  func run() throws { throw UserError("convert: not yet available") }
}
