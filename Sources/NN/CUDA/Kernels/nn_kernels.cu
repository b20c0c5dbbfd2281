// nn-dsl CUDA kernels. Layouts are PyTorch's: W is (fanOut, fanIn) row-major, activations
// are (rows, width) row-major, all float32.

struct StepInfo {
  int start;          // first position in the order array for this batch
  int rows;           // rows in this batch (the last batch of an epoch may be short)
  int slot;           // offset of this step's metrics (floats)
  int step;           // 1-based global step t (Adam bias correction)
  float stepSize;     // lr / (1 - beta1^t), computed in double on the host
  float invBc2Sqrt;   // 1 / sqrt(1 - beta2^t)
  int pad0;
  int pad1;
};

// The steps of one epoch and the cursor: every kernel of a step reads steps[index].
struct StepTable {
  int index;
  int pad[7];
  StepInfo steps[1];  // really: as many as the epoch has steps
};

__device__ __forceinline__ const StepInfo* nn_current(const StepTable* table) {
  return table->steps + *(volatile const int*)&table->index;
}

struct LayerDesc {
  long long offset;            // first parameter of this layer's weight in the arena
  int fanIn;
  int fanOut;
  unsigned long long input;    // const float*: (rows, fanIn) input of the layer
  unsigned long long delta;    // const float*: (rows, fanOut) dE/ds of the layer
};

__device__ __forceinline__ float nn_negative_infinity() { return __int_as_float(0xff800000); }

__device__ __forceinline__ float nn_activate(float v, int act) {
  if (act == 1) return v > 0.0f ? v : 0.0f;
  if (act == 2) return tanhf(v);
  if (act == 3) return 1.0f / (1.0f + expf(-v));
  return v;
}

// dE/ds from dE/da, with s the pre-activation and a = f(s).
__device__ __forceinline__ float nn_activate_backward(float g, float s, float a, int act) {
  if (act == 1) return s > 0.0f ? g : 0.0f;
  if (act == 2) return g * (1.0f - a * a);
  if (act == 3) return g * a * (1.0f - a);
  return g;
}

__device__ __forceinline__ float nn_warp_sum(float v) {
  for (int d = 16; d > 0; d >>= 1) v += __shfl_xor_sync(0xffffffffu, v, d);
  return v;
}

__device__ __forceinline__ double nn_warp_sum_double(double v) {
  for (int d = 16; d > 0; d >>= 1) v += __shfl_xor_sync(0xffffffffu, v, d);
  return v;
}

// Σ v over the block, deterministic: shuffle trees per warp, then thread 0 adds the warp sums
// in warp order. The result is valid in thread 0 only. Every thread calls it, once per kernel.
__device__ __forceinline__ float nn_block_sum(float v) {
  __shared__ float warpSums[32];
  v = nn_warp_sum(v);
  if ((threadIdx.x & 31) == 0) warpSums[threadIdx.x >> 5] = v;
  __syncthreads();
  float total = 0.0f;
  if (threadIdx.x == 0) {
    for (int i = 0; i < (int)(blockDim.x >> 5); i++) total += warpSums[i];
  }
  return total;
}

// True in every thread of the block that finishes last in the grid. Thread 0's earlier global
// writes are fenced before its ticket; `counter` (atomicInc wrapping at gridDim.x - 1) resets
// itself for the next launch. Every thread calls it, once per kernel.
__device__ __forceinline__ bool nn_last_block(unsigned int* counter) {
  __shared__ bool isLast;
  __syncthreads();
  if (threadIdx.x == 0) {
    __threadfence();
    isLast = atomicInc(counter, gridDim.x - 1) == gridDim.x - 1;
  }
  __syncthreads();
  return isLast;
}

// s = a·Wᵀ + b, out = f(s) (out may alias s when there is no activation).
// One warp per output column i and group of `rowsPerWarp` rows (1..4): each W element is
// loaded once for the group; lanes split each row's dot product and a shuffle tree sums it,
// so every row's sum has the same order whatever the group size (results are bit-identical).
// First layer (images != null): the input rows are gathered from the uint8 images through
// order[start + r] and divided by `divisor`; the warps of output 0 also write those rows to
// `a` (float) and their labels to `labelsOut`, for the backward pass.
extern "C" __global__ void nn_linear_forward(
    const StepTable* table, float* a, int fanIn, const float* w, const float* b, int fanOut,
    float* s, float* out, int act, const unsigned char* images, const unsigned char* labelsIn,
    const int* order, float divisor, int* labelsOut, int rowsPerWarp) {
  const StepInfo* info = nn_current(table);
  const int rows = info->rows;
  const int start = info->start;
  const int lane = threadIdx.x & 31;
  const int group = rowsPerWarp < 1 ? 1 : (rowsPerWarp > 4 ? 4 : rowsPerWarp);
  const long long warp = ((long long)blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  const long long warps = ((long long)gridDim.x * blockDim.x) >> 5;
  const long long groups = (rows + group - 1) / group;
  const long long total = groups * fanOut;
  for (long long o = warp; o < total; o += warps) {
    const int r0 = (int)(o / fanOut) * group;
    const int i = (int)(o - (o / fanOut) * fanOut);
    const int n = rows - r0 < group ? rows - r0 : group;
    const float* wi = w + (long long)i * fanIn;
    float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    if (images) {
      const unsigned char* src[4];
      #pragma unroll
      for (int q = 0; q < 4; q++) {
        const int index = q < n ? order[start + r0 + q] : 0;
        src[q] = images + (long long)index * fanIn;
        if (q < n && i == 0 && lane == 0) labelsOut[r0 + q] = (int)labelsIn[index];
      }
      for (int k = lane; k < fanIn; k += 32) {
        const float wk = wi[k];
        #pragma unroll
        for (int q = 0; q < 4; q++) {
          if (q < n) {
            const float x = (float)src[q][k] / divisor;
            if (i == 0) a[(long long)(r0 + q) * fanIn + k] = x;
            acc[q] += x * wk;
          }
        }
      }
    } else {
      for (int k = lane; k < fanIn; k += 32) {
        const float wk = wi[k];
        #pragma unroll
        for (int q = 0; q < 4; q++) {
          if (q < n) acc[q] += a[(long long)(r0 + q) * fanIn + k] * wk;
        }
      }
    }
    #pragma unroll
    for (int q = 0; q < 4; q++) {
      if (q >= n) break;  // n is the same for the whole warp: the shuffles stay convergent
      const float sum = nn_warp_sum(acc[q]);
      if (lane == 0) {
        const long long e = (long long)(r0 + q) * fanOut + i;
        const float v = sum + b[i];
        s[e] = v;
        if (out != s) out[e] = nn_activate(v, act);
      }
    }
  }
}

// Stable softmax + cross-entropy of `rows` rows by one whole block (one warp per row):
// metrics[slot] = mean loss, metrics[slot + 1] = correct count,
// dlogits (if not null) = (softmax - onehot) / rows, metrics[slot + sqIndex] = Σ dlogits²
// (if sqIndex >= 0), predictions (if not null) = argmax (first maximum). Every thread of the
// block must call it; it ends after a __syncthreads that follows every dlogits write.
__device__ __forceinline__ void nn_softmax_ce_block(
    const float* logits, const int* labels, int classes, int rows, float* dlogits,
    int* predictions, float* metrics, int slot, int sqIndex) {
  __shared__ double lossPart[32];
  __shared__ float correctPart[32];
  __shared__ float sqPart[32];
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  const int warps = blockDim.x >> 5;
  const float invRows = 1.0f / (float)rows;
  double loss = 0.0;
  float correct = 0.0f;
  float sq = 0.0f;
  for (int r = warp; r < rows; r += warps) {
    const float* z = logits + (long long)r * classes;
    float m = nn_negative_infinity();
    int am = 0x7fffffff;
    for (int c = lane; c < classes; c += 32) {
      const float v = z[c];
      if (v > m || am == 0x7fffffff) { m = v; am = c; }
    }
    for (int d = 16; d > 0; d >>= 1) {
      const float om = __shfl_xor_sync(0xffffffffu, m, d);
      const int oa = __shfl_xor_sync(0xffffffffu, am, d);
      if (oa != 0x7fffffff && (am == 0x7fffffff || om > m || (om == m && oa < am))) {
        m = om;
        am = oa;
      }
    }
    float sum = 0.0f;
    for (int c = lane; c < classes; c += 32) sum += expf(z[c] - m);
    sum = nn_warp_sum(sum);
    const int label = labels[r];
    if (lane == 0) {
      loss += (double)(logf(sum) - (z[label] - m));
      if (am == label) correct += 1.0f;
      if (predictions) predictions[r] = am;
    }
    if (dlogits) {
      const float inv = 1.0f / sum;
      float* dz = dlogits + (long long)r * classes;
      for (int c = lane; c < classes; c += 32) {
        const float d = (expf(z[c] - m) * inv - (c == label ? 1.0f : 0.0f)) * invRows;
        dz[c] = d;
        sq += d * d;
      }
    }
  }
  sq = nn_warp_sum(sq);
  if (lane == 0) {
    lossPart[warp] = loss;
    correctPart[warp] = correct;
    sqPart[warp] = sq;
  }
  __syncthreads();
  if (threadIdx.x == 0) {
    double lossSum = 0.0;
    float correctSum = 0.0f;
    float sqSum = 0.0f;
    for (int i = 0; i < warps; i++) {
      lossSum += lossPart[i];
      correctSum += correctPart[i];
      sqSum += sqPart[i];
    }
    metrics[slot] = rows > 0 ? (float)(lossSum / (double)rows) : 0.0f;
    metrics[slot + 1] = correctSum;
    if (dlogits && sqIndex >= 0) metrics[slot + sqIndex] = sqSum;
  }
}

// One block: softmax-CE of the step's rows (see nn_softmax_ce_block).
extern "C" __global__ void nn_softmax_ce(
    const StepTable* table, const float* logits, const int* labels, int classes,
    float* dlogits, int* predictions, float* metrics, int sqIndex) {
  const StepInfo* info = nn_current(table);
  nn_softmax_ce_block(
      logits, labels, classes, info->rows, dlogits, predictions, metrics, info->slot, sqIndex);
}

// δ of one layer and δ² into metrics[slot + sqIndex].
// deltaNext != null: dE/da = δ_next · W_next (W_next: (fanOutNext, width)); else dE/da = dPost.
// δ = dE/da ⊙ f'(s). Per-block partial sums, then the last block to finish adds them up in
// block order (deterministic); the counter resets itself.
extern "C" __global__ void nn_backward_delta(
    const StepTable* table, const float* deltaNext, const float* wNext, int fanOutNext,
    const float* dPost, const float* s, const float* a, int act, int width, float* delta,
    float* metrics, int sqIndex, float* partials, unsigned int* counter) {
  const StepInfo* info = nn_current(table);
  const int rows = info->rows;
  const int slot = info->slot;
  const long long total = (long long)rows * width;
  const long long stride = (long long)gridDim.x * blockDim.x;
  float sq = 0.0f;
  for (long long o = (long long)blockIdx.x * blockDim.x + threadIdx.x; o < total; o += stride) {
    const int r = (int)(o / width);
    const int k = (int)(o - (long long)r * width);
    float g;
    if (deltaNext) {
      const float* dn = deltaNext + (long long)r * fanOutNext;
      g = 0.0f;
      for (int i = 0; i < fanOutNext; i++) g += dn[i] * wNext[(long long)i * width + k];
    } else {
      g = dPost[o];
    }
    const float d = nn_activate_backward(g, s[o], a[o], act);
    delta[o] = d;
    sq += d * d;
  }
  const float blockSum = nn_block_sum(sq);
  if (threadIdx.x == 0) partials[blockIdx.x] = blockSum;
  if (nn_last_block(counter) && threadIdx.x == 0) {
    __threadfence();
    float totalSum = 0.0f;
    for (unsigned int i = 0; i < gridDim.x; i++) totalSum += ((volatile float*)partials)[i];
    metrics[slot + sqIndex] = totalSum;
  }
}

// The head of a training step in one block of 1024 threads, for a last Linear layer without
// activation on top of a hidden layer: (1) the logits of every row, (2) softmax-CE with
// dlogits, loss, correct count and Σ dlogits² into metrics, (3) δ of the hidden layer below,
// δ = (dlogits · W) ⊙ f'(s), and its δ². Three launches become one: the phases are separated by
// __syncthreads (global writes of a block are visible to the block after it). Every output
// keeps the summation order of nn_linear_forward, nn_softmax_ce and nn_backward_delta, so the
// logits, dlogits and δ are bit-identical to theirs; only the order of the hidden layer's δ²
// sum differs (one block instead of a grid).
extern "C" __global__ void nn_head(
    const StepTable* table, const float* a, int fanIn, const float* w, const float* b,
    int classes, float* s, float* out, const int* labels, float* dlogits, float* metrics,
    int sqIndex, const float* sBelow, const float* aBelow, int actBelow, float* deltaBelow,
    int sqIndexBelow) {
  const StepInfo* info = nn_current(table);
  const int rows = info->rows;
  const int slot = info->slot;
  const int lane = threadIdx.x & 31;
  const int warp = threadIdx.x >> 5;
  const int warps = blockDim.x >> 5;

  // (1) logits: one warp per output, as nn_linear_forward.
  for (int o = warp; o < rows * classes; o += warps) {
    const int r = o / classes;
    const int i = o - r * classes;
    const float* ar = a + (long long)r * fanIn;
    const float* wi = w + (long long)i * fanIn;
    float acc = 0.0f;
    for (int k = lane; k < fanIn; k += 32) acc += ar[k] * wi[k];
    acc = nn_warp_sum(acc);
    if (lane == 0) {
      const float v = acc + b[i];
      s[o] = v;
      if (out != s) out[o] = v;
    }
  }
  __syncthreads();

  // (2) softmax-CE, dlogits and the logits' δ² (the same code as nn_softmax_ce).
  nn_softmax_ce_block(out, labels, classes, rows, dlogits, 0, metrics, slot, sqIndex);

  // (3) δ of the layer below (width fanIn), one thread per element, as nn_backward_delta.
  float sqBelow = 0.0f;
  for (int o = threadIdx.x; o < rows * fanIn; o += blockDim.x) {
    const int r = o / fanIn;
    const int k = o - r * fanIn;
    const float* dn = dlogits + (long long)r * classes;
    float g = 0.0f;
    for (int i = 0; i < classes; i++) g += dn[i] * w[(long long)i * fanIn + k];
    const float d = nn_activate_backward(g, sBelow[o], aBelow[o], actBelow);
    deltaBelow[o] = d;
    sqBelow += d * d;
  }
  const float totalBelow = nn_block_sum(sqBelow);
  if (threadIdx.x == 0) metrics[slot + sqIndexBelow] = totalBelow;
}

// Parameter gradients of every layer (dW = δᵀ·input, db = Σ_rows δ), added to the stored
// gradients when accumulate != 0 (zero_grad=off), then one optimizer step per parameter.
// optimizer 0: Adam (m, v); 1: SGD (m = momentum buffer or null). The last block to finish
// (ticket from the self-resetting `counter`) moves the step cursor on.
extern "C" __global__ void nn_update(
    StepTable* table, const LayerDesc* layers, int layerCount, long long count,
    float* p, float* g, float* m, float* v, int optimizer, int accumulate, float lr,
    float momentum, float weightDecay, float w1, float beta2, float w2, float eps,
    unsigned int* counter) {
  const StepInfo* info = nn_current(table);
  const int rows = info->rows;
  const float stepSize = info->stepSize;
  const float invBc2Sqrt = info->invBc2Sqrt;
  const long long stride = (long long)gridDim.x * blockDim.x;
  for (long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x; idx < count;
       idx += stride) {
    int l = 0;
    while (l + 1 < layerCount && idx >= layers[l + 1].offset) l++;
    const LayerDesc L = layers[l];
    const long long q = idx - L.offset;
    const float* delta = (const float*)L.delta;
    const long long weights = (long long)L.fanIn * L.fanOut;
    float acc = 0.0f;
    if (q < weights) {
      const int i = (int)(q / L.fanIn);
      const int j = (int)(q - (long long)i * L.fanIn);
      const float* input = (const float*)L.input;
      for (int r = 0; r < rows; r++)
        acc += delta[(long long)r * L.fanOut + i] * input[(long long)r * L.fanIn + j];
    } else {
      const int i = (int)(q - weights);
      for (int r = 0; r < rows; r++) acc += delta[(long long)r * L.fanOut + i];
    }
    const float grad = accumulate ? g[idx] + acc : acc;
    g[idx] = grad;
    const float pv = p[idx];
    if (optimizer == 0) {
      float gi = grad;
      if (weightDecay != 0.0f) gi += weightDecay * pv;
      const float m0 = m[idx];
      const float mi = m0 + w1 * (gi - m0);
      const float vi = v[idx] * beta2 + w2 * (gi * gi);
      m[idx] = mi;
      v[idx] = vi;
      p[idx] = pv - stepSize * (mi / (sqrtf(vi) * invBc2Sqrt + eps));
    } else {
      float d = grad;
      if (weightDecay != 0.0f) d += weightDecay * pv;
      if (m) {
        const float b = m[idx] * momentum + d;
        m[idx] = b;
        d = b;
      }
      p[idx] = pv - lr * d;
    }
  }
  if (nn_last_block(counter) && threadIdx.x == 0) {
    *(volatile int*)&table->index = table->index + 1;
    __threadfence();
  }
}
