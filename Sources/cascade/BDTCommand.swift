import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct BDTCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "bdt", abstract: "(not yet available)")
  func run() throws { throw UserError("bdt: not yet available") }
}
