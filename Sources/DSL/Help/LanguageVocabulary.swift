/// The words of the language by role, taken from the help catalog and the checker's tables, for
/// tools outside the kernel that must agree with it (syntax highlighters, parameter injection).
public struct LanguageVocabulary: Sendable, Equatable, Codable {
  /// Statement keywords, in catalog order.
  public var statements: [String]
  /// Named parameters (`name=`) per statement keyword.
  public var parameters: [String: [String]]
  /// The training parameters `set`, `train` and `sweep` take, in `TrainParam` order.
  var trainingParameters: [String]
  /// Enumeration values any parameter or positional argument accepts (`adam`, `cpu`, `fashion`).
  public var values: [String]
  /// The boolean words.
  var booleans: [String]
  /// The activations a model spec may name.
  var activations: [String]
  /// Metric names (`plot METRIC`).
  var metrics: [String]
  /// Run fields (`RUN.FIELD`).
  public var fields: [String]
  /// Keywords inside a statement (`as NAME`).
  var keywords: [String]

  /// The vocabulary of this build of the language.
  public static let current: LanguageVocabulary = {
    var parameters: [String: [String]] = [:]
    var values: [String] = []
    for statement in HelpCatalog.statements {
      parameters[statement.name] = statement.namedParams.map(\.name)
      for param in statement.params where param.choices != ["on", "off"] {
        for choice in param.choices where !values.contains(choice) { values.append(choice) }
      }
    }
    let metrics = Metric.allCases.map(\.rawValue)
    return LanguageVocabulary(
      statements: HelpCatalog.statements.map(\.name),
      parameters: parameters,
      trainingParameters: TrainParam.allCases.map(\.rawValue),
      values: values.filter { !metrics.contains($0) },
      booleans: Checker.booleanWords.map(\.word),
      activations: ModelSpecParser.activations,
      metrics: metrics,
      fields: RunField.allCases.map(\.rawValue),
      keywords: ["as"])
  }()
}
