import NN

extension TrainParameter {
  /// The parameter's help entry: its range as the checker checks it, and as its default the
  /// value that runs when nothing is set (`TrainConfig()`).
  var help: ParamHelp {
    let type: String
    let range: String
    var choices: [String] = []
    switch kind {
    case .integer(let bounds, _):
      type = "integer"
      range = bounds.shown
    case .number(let bounds, _):
      type = "number"
      range = bounds.help
    case .choice(let field):
      type = "one of " + field.names.joined(separator: ", ")
      range = field.names.joined(separator: " | ")
      choices = field.names
    case .boolean:
      type = "on/off"
      range = "on | off | true | false"
      choices = ["on", "off"]
    }
    return ParamHelp(
      name: param.rawValue, type: type, defaultValue: text(TrainConfig()), range: range, meaning: meaning,
      example: example, choices: choices)
  }
}
