import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "merge", abstract: "(not yet available)")
  func run() throws { throw UserError("merge: not yet available") }
}
