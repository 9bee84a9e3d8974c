/// Every modifier type the reader, writer and model know, in pyhf's order (`histfactory_set`):
/// this order fixes the order of the model's parameter sets. A new type is added here and in its
/// own file, nothing else.
let modifierRegistry: [any ModifierDefinition.Type] = [
  HistoSys.self, Lumi.self, NormFactor.self, NormSys.self, ShapeFactor.self, ShapeSys.self, StatError.self,
]

/// The registered definition of the type called `name`, if any.
func modifierDefinition(named name: String) -> (any ModifierDefinition.Type)? {
  modifierRegistry.first { $0.type.rawValue == name }
}
