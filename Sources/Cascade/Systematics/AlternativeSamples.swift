import CascadeSupport
import EventData

extension Applier {
  /// Routes the alternative ntuples of every `files` systematic of the samples `sampleIndices`
  /// through the trained cascade, each variation into `OutputLayout.variationFilesRoot` under
  /// `root` (its own `scores/` and `regions/`, as for nominal inputs). Returns the outputs,
  /// relative to `root`. Files are applied whole (never split across shards), so merged shards
  /// stay byte-identical to an unsharded run; with `shard`, the k-th variation (in config and
  /// up/down order) is applied by shard k mod N, spreading the work over the shards.
  public func applyAlternativeSamples(sampleIndices: [Int], to root: String, shard: ShardSpec? = nil) throws -> Summary {
    var summary = Summary()
    var k = -1
    for s in config.systematics {
      guard case .files(let up, let down) = s.kind, let name = s.samples?.first,
        let si = config.samples.firstIndex(where: { $0.name == name }), sampleIndices.contains(si)
      else { continue }
      for (side, files) in [(VariationSide.up, up), (.down, down)] {
        guard let files else { continue }
        k += 1
        if let shard, k % shard.count != shard.index { continue }
        let v = Variation(systematic: s.name, side: side)
        var alternative = config
        alternative.samples[si].files = files
        alternative.systematics = []
        let applier = Applier(config: alternative, router: router, progress: progress)
        let inputs = try Applier.inputFiles(alternative, sampleIndices: [si], files: nil)
        let pieces = ShardPlanner.pieces(files: inputs, shard: nil)
        let prefix = OutputLayout.variationFilesRoot(v)
        progress("apply \(name) variation \(v.key)")
        let part = try applier.apply(pieces: pieces, to: root + "/" + prefix)
        summary.outputs += part.outputs.map { prefix + "/" + $0 }
        summary.events["\(name)/\(v.key)"] = part.events[name]
      }
    }
    return summary
  }
}
