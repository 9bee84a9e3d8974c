import CascadeSupport

/// JSON forms of the evaluation results. `tables/evaluation.json` holds all of them and is what
/// the report reads; the Markdown/CSV tables are rendered from the same objects.
extension StageEvaluation {
  static func efficiencyKey(_ b: Double) -> String { "sig_eff_at_bkg_" + NumberFormat.fixed(b, 2) }

  /// The efficiency-table row: the keys of `tables/efficiency.json` plus train efficiencies,
  /// KS statistics and the other ROC integrals.
  public var tableJSON: JSONValue {
    var o = JSONObject()
    o["stage"] = .string(stage)
    o["region"] = .string(region)
    o["background"] = .string(targets.joined(separator: "+"))
    o["auc_test"] = .number(target.test.auc)
    o["auc_train"] = .number(target.train.auc)
    for (i, b) in Self.backgroundEfficiencyPoints.enumerated() { o[Self.efficiencyKey(b)] = .number(sigEffTest[i]) }
    for (i, b) in Self.backgroundEfficiencyPoints.enumerated() {
      o["sig_eff_train_at_bkg_" + NumberFormat.fixed(b, 2)] = .number(sigEffTrain[i])
    }
    o["separation"] = .number(separation)
    o["significance"] = .number(significance)
    o["ks_d_signal"] = .number(ksSignal.statistic)
    o["ks_p_signal"] = .number(ksSignal.pValue)
    o["ks_d_background"] = .number(ksBackground.statistic)
    o["ks_p_background"] = .number(ksBackground.pValue)
    o["ranking"] = .array(ranking.map { ["feature": .string($0.feature), "importance": .number($0.importance)] })
    o["roc_integrals"] = .array(roc.map {
      ["kind": .string($0.kind), "background": .string($0.backgrounds.joined(separator: "+")),
       "auc_test": .number($0.test.auc), "auc_train": .number($0.train.auc)]
    })
    return .object(o)
  }

  /// Exactly the keys of one `tables/efficiency.json` entry.
  public static let efficiencyFileKeys = [
    "stage", "auc_test", "auc_train", "sig_eff_at_bkg_0.01", "sig_eff_at_bkg_0.10", "sig_eff_at_bkg_0.30",
    "separation", "significance", "ks_p_signal", "ks_p_background", "ranking",
  ]

  static func curveJSON(_ points: [ROCPoint]) -> JSONValue {
    [
      "threshold": JSONValue(points.map { $0.threshold }),
      "signal_efficiency": JSONValue(points.map { $0.signalEfficiency }),
      "background_efficiency": JSONValue(points.map { $0.backgroundEfficiency }),
    ]
  }

  static func histogramJSON(_ h: Histogram) -> JSONValue {
    let d = h.normalizedDensity()
    return ["sum_w": JSONValue(h.sumW), "density": JSONValue(d.values), "error": JSONValue(d.errors)]
  }

  /// The stage's entry in `tables/evaluation.json`: table row, thinned ROC curves and the
  /// overtraining histograms (unit-area densities with errors, and raw Σw).
  public var json: JSONValue {
    [
      "stage": .string(stage),
      "region": .string(region),
      "targets": JSONValue(targets),
      "threshold": .number(threshold),
      "score_range": JSONValue([scoreRange.lowerBound, scoreRange.upperBound]),
      "table": tableJSON,
      "roc": .array(roc.map {
        [
          "kind": .string($0.kind), "backgrounds": JSONValue($0.backgrounds),
          "auc_test": .number($0.test.auc), "auc_train": .number($0.train.auc),
          "test": Self.curveJSON($0.test.thinned()), "train": Self.curveJSON($0.train.thinned()),
        ]
      }),
      "overtraining": [
        "edges": JSONValue(signalTest.edges),
        "signal_test": Self.histogramJSON(signalTest),
        "signal_train": Self.histogramJSON(signalTrain),
        "background_test": Self.histogramJSON(backgroundTest),
        "background_train": Self.histogramJSON(backgroundTrain),
      ],
    ]
  }
}

extension Yield {
  var json: JSONValue { ["count": .number(Double(count)), "yield": .number(sumW), "error": .number(error)] }
}

extension Cutflow {
  /// `tables/cutflow.json`.
  public var json: JSONValue {
    let ns = sampleNames.count
    let samples: [JSONValue] = (0..<ns).map {
      ["name": .string(sampleNames[$0]), "role": .string(sampleRoles[$0]), "count": .number(Double(totals[$0].count)),
       "yield": .number(totals[$0].sumW), "error": .number(totals[$0].error)]
    }
    let stages: [JSONValue] = stageNames.indices.map { k in
      [
        "stage": .string(stageNames[k]), "region": .string(stageRegions[k]), "threshold": .number(thresholds[k]),
        "samples": .array((0..<ns).map { s in
          let eff = entering[k][s].sumW > 0 ? surviving[k][s].sumW / entering[k][s].sumW : Double.nan
          return [
            "sample": .string(sampleNames[s]), "entering": entering[k][s].json, "to_region": toRegion[k][s].json,
            "surviving": surviving[k][s].json, "efficiency": .number(eff),
          ]
        }),
      ]
    }
    let regionsJSON: [JSONValue] = regions.indices.map { r in
      [
        "region": .string(regions[r]), "purity": .number(purity(region: r)),
        "purity_samples": JSONValue(regionTargets[r].map { sampleNames[$0] }),
        "samples": .array((0..<ns).map { s in
          var o = JSONObject()
          o["sample"] = .string(sampleNames[s])
          o["count"] = .number(Double(regionYields[r][s].count))
          o["yield"] = .number(regionYields[r][s].sumW)
          o["error"] = .number(regionYields[r][s].error)
          o["fraction"] = .number(fraction(region: r, sample: s))
          return .object(o)
        }),
      ]
    }
    var rejection = JSONObject()
    for s in 0..<ns where sampleRoles[s] == "background" { rejection[sampleNames[s]] = .number(backgroundRejection(sample: s)) }
    return [
      "samples": .array(samples), "stages": .array(stages), "regions": .array(regionsJSON),
      "signal_efficiency": .number(signalEfficiency), "background_rejection": .object(rejection),
    ]
  }
}

extension WorkingPointScan {
  public var json: JSONValue {
    [
      "stage": .string(stage), "working_point": .number(workingPoint), "threshold": JSONValue(thresholds),
      "signal_efficiency": JSONValue(signalEfficiency),
      "samples": .array(sampleNames.indices.map {
        ["sample": .string(sampleNames[$0]), "role": .string(sampleRoles[$0]), "efficiency": JSONValue(efficiency[$0])]
      }),
    ]
  }
}
