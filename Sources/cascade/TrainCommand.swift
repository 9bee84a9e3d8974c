import ArgumentParser
import CascadeSupport

// Placeholder until its issue lands: replaced wholesale by the owner of this command.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "train", abstract: "(not yet available)")
  func run() throws { throw UserError("train: not yet available") }
}
