// Benchmarks for the NN engine (placeholder until issue 3 lands).
import NN
print("nnbench \(NNInfo.version)")
