/// Evaluates a trained parameter arena on a data split (CPU backend).
public enum Evaluator {
  /// Loss, accuracy, per-class accuracy and confusion matrix of `parameters` on `split`.
  public static func evaluate(
    model: ModelSpec, parameters: [Float], data: Dataset, split: DataSplit
  ) throws -> Evaluation {
    try Trainer.validate(model: model, data: data)
    guard parameters.count == model.parameterCount else {
      throw TrainError.invalidModel(
        "\(parameters.count) parameters given, \(model.description) has \(model.parameterCount)")
    }
    let chunk = 1000
    guard let bytes = Network.bytesNeeded(spec: model, maxRows: chunk, optimizerSlots: 0),
      bytes <= Trainer.memoryLimit
    else {
      throw TrainError.modelTooLarge(
        bytes: Network.bytesNeeded(spec: model, maxRows: chunk, optimizerSlots: 0) ?? Int.max)
    }
    return DenormalMode.flushingToZero {
      run(model: model, parameters: parameters, data: data, split: split, chunk: chunk)
    }
  }

  private static func run(
    model: ModelSpec, parameters: [Float], data: Dataset, split: DataSplit, chunk: Int
  ) -> Evaluation {
    let backend = CPUBackend(threads: 1)
    let network = Network(spec: model, backend: backend, maxRows: chunk)
    network.load(parameters)
    let resident = ResidentSplit(data, split, backend: backend)
    let result = network.evaluate(
      resident, inputWidth: data.inputWidth, classes: data.classes, wantPredictions: true)
    var confusion = Array(repeating: Array(repeating: 0, count: data.classes), count: data.classes)
    for (i, predicted) in result.predictions.enumerated() {
      confusion[data.label(split, i)][Int(predicted)] += 1
    }
    let n = max(resident.count, 1)
    let perClass = confusion.enumerated().map { row in
      let total = row.element.reduce(0, +)
      return total == 0 ? Double.nan : Double(row.element[row.offset]) / Double(total)
    }
    return Evaluation(
      loss: result.lossSum / Double(n), accuracy: Double(result.correct) / Double(n),
      perClassAccuracy: perClass, confusion: confusion)
  }
}
