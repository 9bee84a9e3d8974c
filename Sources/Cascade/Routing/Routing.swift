/// THE routing rule of the cascade, the one place it is written: an event leaves the cascade at
/// the first stage whose score for it is below that stage's threshold, into that stage's control
/// region; an event no stage rejects is in the signal region.
///
/// A NaN score never rejects (`NaN < t` is false): it marks a stage the event did not reach.
/// Training (survivors of earlier stages), apply, evaluation (cutflow, working-point scans) and
/// every later consumer call these two functions rather than comparing scores themselves.
///
/// ```swift
/// let exit = Routing.exitStage(stageCount: 3) { k in (score: scores[k][e], threshold: thresholds[k]) }
/// // exit == 3 means the signal region; otherwise the control region of stage `exit`.
/// ```
public enum Routing {
  /// Whether a stage with `threshold` sends an event with `score` to its control region.
  @inlinable
  public static func rejects(score: Double, threshold: Double) -> Bool {
    score < threshold
  }

  /// The index of the first stage in `first..<stageCount` that rejects the event, or
  /// `stageCount` if none does (the event reaches the signal region, or survives the stages
  /// asked about). `stage(k)` gives the event's score at stage k and that stage's threshold.
  @inlinable
  public static func exitStage(
    from first: Int = 0, stageCount: Int, _ stage: (Int) throws -> (score: Double, threshold: Double)
  ) rethrows -> Int {
    var k = first
    while k < stageCount {
      let s = try stage(k)
      if rejects(score: s.score, threshold: s.threshold) { return k }
      k += 1
    }
    return stageCount
  }
}
