import ArgumentParser
import CascadeSupport
import Foundation

struct CascadeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cascade",
    abstract: "Train a cascade of boosted decision trees, route events into purified control regions, and fit every yield.",
    discussion: """
      Typical use:
        cascade run configs/toy.json          # validate, train, apply, evaluate, report, fit
        cascade inspect samples/toy/*.h5      # what is in an event file
        cascade fit workspace.json --limit    # standalone pyhf-workspace fit
      See README.md for the config reference and file formats.
      """,
    version: CascadeVersion.string,
    subcommands: [
      GenerateCommand.self,
      InspectCommand.self,
      ConvertCommand.self,
      BDTCommand.self,
      ValidateCommand.self,
      TrainCommand.self,
      ApplyCommand.self,
      EvaluateCommand.self,
      RunCommand.self,
      ReportCommand.self,
      FitCommand.self,
      SubmitCommand.self,
      MergeCommand.self,
      StatusCommand.self,
    ]
  )
}

@main
enum CascadeMain {
  static func main() {
    InterruptHandler.install()
    do {
      var command = try CascadeCommand.parseAsRoot()
      try command.run()
    } catch let error as UserError {
      InterruptHandler.waitIfInterrupted()
      FileHandle.standardError.write(Data("cascade: error: \(error.message)\n".utf8))
      exit(1)
    } catch {
      InterruptHandler.waitIfInterrupted()
      CascadeCommand.exit(withError: error)
    }
  }
}
