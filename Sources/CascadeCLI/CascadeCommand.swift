import ArgumentParser
import CascadeSupport
import Foundation
import Workflow

struct CascadeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cascade",
    abstract: "Train a cascade of boosted decision trees, route events into purified control regions, and fit every yield.",
    discussion: """
      Typical use:
        cascade run configs/toy.json        # the whole chain, train to report
        cascade inspect samples/toy/*.h5    # what is in an event file
        cascade fit workspace.json --limit  # standalone pyhf-workspace fit

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
    var command: ParsableCommand
    do {
      command = try CascadeCommand.parseAsRoot()
    } catch {
      usageError(error)
    }
    do {
      try command.run()
    } catch let error as UserError {
      fail("cascade: error: \(error.message)\n")
    } catch let reported as ProblemsReported {
      InterruptHandler.waitIfInterrupted()
      exit(reported.exitCode)
    } catch {
      InterruptHandler.waitIfInterrupted()
      CascadeCommand.exit(withError: error)
    }
  }

  /// --help and --version exit as ArgumentParser does; a bad argument (unknown option, a value
  /// that does not parse, a failed check) is one line `cascade: error: …` and exit 1, like every
  /// other bad input.
  static func usageError(_ error: Error) -> Never {
    guard CascadeCommand.exitCode(for: error) == .validationFailure else { CascadeCommand.exit(withError: error) }
    fail("cascade: error: \(CascadeCommand.message(for: error))\n")
  }

  static func fail(_ line: String) -> Never {
    InterruptHandler.waitIfInterrupted()
    FileHandle.standardError.write(Data(line.utf8))
    exit(1)
  }
}
