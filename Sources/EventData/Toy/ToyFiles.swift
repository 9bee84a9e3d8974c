import CascadeSupport
import Foundation

/// File format of a toy production.
public enum ToyFormat: String, Sendable, CaseIterable {
  case h5, csv
}

/// What `writeToySamples` wrote.
public struct ToyProductionSummary: Sendable {
  /// (process or "data", path, rows), in writing order.
  public var files: [(name: String, path: String, rows: Int)]
  public var truthPath: String
  public var truth: JSONValue
}

/// Generates every process and the pseudo-data into `directory` as `<process>.<format>`,
/// `data.<format>` and `truth.json`. Large samples are generated and written in chunks of
/// `chunkRows` events, so memory stays bounded; each file is written atomically, `truth.json` last.
public func writeToySamples(
  _ settings: ToySettings, to directory: String, format: ToyFormat = .h5, chunkRows: Int = 1 << 20,
  progress: ((String) -> Void)? = nil
) throws -> ToyProductionSummary {
  try AtomicFile.createDirectory(directory)
  let gen = ToyGenerator(settings)
  let chunk = max(ToyGenerator.chunkAlignment, chunkRows / ToyGenerator.chunkAlignment * ToyGenerator.chunkAlignment)
  var files: [(String, String, Int)] = []
  var samples: [ToySample] = []
  for p in settings.processes {
    let path = directory + "/\(p.name).\(format.rawValue)"
    let magnitude = gen.weightMagnitude(p)
    let writer = try createEventFileWriter(path, schema: ToyGenerator.schema, options: fileOptions(gen, process: p))
    // Bookkeeping for truth.json, summed over chunks (the table itself is not kept).
    var bookkeeping = ToySample(
      process: p, table: EventTable(), events: settings.eventsPerProcess, sumOfWeights: 0, negativeWeightEvents: 0)
    for rows in ParallelBlocks.blockRanges(count: settings.eventsPerProcess, blockSize: chunk) {
      let part = gen.generateMC(p, rows: rows, weightMagnitude: magnitude)
      try writer.append(part.table)
      bookkeeping.sumOfWeights += part.sumOfWeights
      bookkeeping.negativeWeightEvents += part.negativeWeightEvents
    }
    try writer.finish()
    samples.append(bookkeeping)
    files.append((p.name, path, settings.eventsPerProcess))
    progress?("\(p.name): \(settings.eventsPerProcess) events, Σw = \(format3(bookkeeping.sumOfWeights)) → \(path)")
  }
  // Alternative samples (systematic variations): MC only, same chunking, never in the data.
  for p in settings.alternatives {
    let path = directory + "/\(p.name).\(format.rawValue)"
    let magnitude = gen.weightMagnitude(p)
    let writer = try createEventFileWriter(path, schema: ToyGenerator.schema, options: fileOptions(gen, process: p))
    for rows in ParallelBlocks.blockRanges(count: settings.eventsPerProcess, blockSize: chunk) {
      try writer.append(gen.generateMC(p, rows: rows, weightMagnitude: magnitude).table)
    }
    try writer.finish()
    files.append((p.name, path, settings.eventsPerProcess))
    progress?("\(p.name) (alternative sample): \(settings.eventsPerProcess) events → \(path)")
  }
  let data = gen.generateData()
  let dataPath = directory + "/data.\(format.rawValue)"
  try writeEventFile(data.table, to: dataPath, options: fileOptions(gen, process: nil))
  files.append(("data", dataPath, data.table.rowCount))
  progress?("data: \(data.table.rowCount) events (\(data.yields.map { "\($0.process) \($0.drawn)" }.joined(separator: ", "))) → \(dataPath)")
  let truth = gen.truth(mc: samples, data: data, format: format.rawValue)
  let truthPath = directory + "/truth.json"
  try AtomicFile.write(truth.serialized(), to: truthPath)
  return ToyProductionSummary(files: files, truthPath: truthPath, truth: truth)
}

/// HDF5 attributes recording where a file came from (ignored by the CSV writer).
private func fileOptions(_ gen: ToyGenerator, process: ToyProcess?) -> EventFileWriteOptions {
  var meta = JSONObject()
  meta["generator"] = .string("cascade generate \(CascadeVersion.string)")
  meta["process"] = .string(process?.name ?? "data")
  meta["seed"] = .number(Double(gen.settings.seed))
  if process == nil, let d = gen.settings.dataSeed { meta["data_seed"] = .number(Double(d)) }
  meta["luminosity_fb"] = .number(gen.settings.luminosityFb)
  if let process {
    meta["cross_section_fb"] = .number(process.crossSectionFb)
    meta["events"] = .number(Double(gen.settings.eventsPerProcess))
  }
  return EventFileWriteOptions(attributes: ["provenance": JSONValue.object(meta).serialized(pretty: false)])
}

private func format3(_ x: Double) -> String { String(format: "%.3f", x) }
