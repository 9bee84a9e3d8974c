import CascadeSupport
import EventData
import Foundation

/// `cascade generate`: the toy samples.
public enum ToyWorkflow {
  /// Checks the settings, writes the toy samples and truth.json into `directory` and prints
  /// each file written, the truth path and the time taken.
  public static func generate(
    _ settings: ToySettings, format: ToyFormat, to directory: String, console: Console
  ) throws {
    guard settings.eventsPerProcess > 0, settings.eventsPerProcess <= 900_000_000 else {
      throw UserError("--events: expected 1 … 900000000, got \(settings.eventsPerProcess)")
    }
    guard settings.luminosityFb > 0, settings.luminosityFb.isFinite else {
      throw UserError("--lumi: expected a positive number, got \(settings.luminosityFb)")
    }
    guard settings.threads >= 0 else { throw UserError("--threads: expected ≥ 0, got \(settings.threads)") }
    guard settings.trueJESShift.isFinite, abs(settings.trueJESShift) <= 10 else {
      throw UserError("--jes-shift: expected a number in [-10, 10], got \(settings.trueJESShift)")
    }
    let start = Date()
    let summary = try writeToySamples(settings, to: directory, format: format) { console.line($0) }
    let total = summary.files.reduce(0) { $0 + $1.rows }
    console.line("truth: \(summary.truthPath)")
    console.line(String(format: "generated %d events in %.2f s", total, Date().timeIntervalSince(start)))
  }
}
