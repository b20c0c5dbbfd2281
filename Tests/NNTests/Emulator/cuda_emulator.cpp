// A stand-in libcuda.so.1 that runs the project's CUDA kernels on the CPU (tests only).
//
// The kernel source (Sources/NN/CUDA/Kernels/nn_kernels.cu, the file NVRTC compiles for the GPU)
// is included a second time as C++ with shims for the CUDA builtins: every CUDA thread of a block
// is a host thread (blocks run one after another), __syncthreads is a barrier, warp shuffles
// exchange through a per-warp slot array between two warp barriers, and __shared__ becomes static
// (safe because blocks run in sequence). Device memory is host memory, so CUdeviceptr values are
// host addresses. Stream capture records launches; a graph launch replays them. This lets the
// whole GPU trainer (Swift orchestration, argument order, StepInfo layout, graphs, metrics) run
// end to end against the CPU backend. Built by CUDAEmulatorTests with a C++20 compiler.
#include <array>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <math.h>

struct emu_dim3 { unsigned x, y, z; };
static thread_local emu_dim3 threadIdx, blockIdx;
static emu_dim3 blockDim, gridDim;

struct EmuBlock {
  std::unique_ptr<std::barrier<>> bar;
  std::vector<std::unique_ptr<std::barrier<>>> warpBars;
  std::vector<std::array<uint64_t, 32>> slots;
};
static EmuBlock* g_block = nullptr;
static std::mutex g_atomic;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

static inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
static inline void __syncthreads() { g_block->bar->arrive_and_wait(); }
static inline void __threadfence() {}
static inline unsigned atomicInc(unsigned* a, unsigned val) {
  std::lock_guard<std::mutex> lock(g_atomic);
  unsigned old = *a;
  *a = old >= val ? 0 : old + 1;
  return old;
}
template <class T> static T __shfl_xor_sync(unsigned, T v, int d) {
  const unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  auto& slot = g_block->slots[warp];
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof(T));
  slot[lane] = bits;
  g_block->warpBars[warp]->arrive_and_wait();
  uint64_t other = slot[lane ^ (unsigned)d];
  g_block->warpBars[warp]->arrive_and_wait();
  T r;
  std::memcpy(&r, &other, sizeof(T));
  return r;
}

#include "../../../Sources/NN/CUDA/Kernels/nn_kernels.cu"

static void emu_run(unsigned grid, unsigned block, const std::function<void()>& body) {
  gridDim = {grid, 1, 1};
  blockDim = {block, 1, 1};
  for (unsigned b = 0; b < grid; b++) {
    EmuBlock blk;
    blk.bar = std::make_unique<std::barrier<>>(block);
    for (unsigned w = 0; w < (block + 31) / 32; w++) {
      blk.warpBars.push_back(std::make_unique<std::barrier<>>(32));
      blk.slots.push_back({});
    }
    g_block = &blk;
    std::vector<std::thread> threads;
    threads.reserve(block);
    for (unsigned t = 0; t < block; t++) {
      threads.emplace_back([&, t, b] {
        threadIdx = {t, 0, 0};
        blockIdx = {b, 0, 0};
        body();
      });
    }
    for (auto& th : threads) th.join();
    g_block = nullptr;
  }
}

#define A(i, T) (*(T*)(p[i]))
struct EmuFunction {
  const char* name;
  int params;
  void (*call)(void** p);
};
static EmuFunction emu_functions[] = {
  {"nn_linear_forward", 15, [](void** p) { nn_linear_forward(A(0, const StepTable*),
      A(1, float*), A(2, int), A(3, const float*), A(4, const float*), A(5, int),
      A(6, float*), A(7, float*), A(8, int), A(9, const unsigned char*),
      A(10, const unsigned char*), A(11, const int*), A(12, float), A(13, int*),
      A(14, int)); }},
  {"nn_softmax_ce", 8, [](void** p) { nn_softmax_ce(A(0, const StepTable*), A(1, const float*),
      A(2, const int*), A(3, int), A(4, float*), A(5, int*), A(6, float*), A(7, int)); }},
  {"nn_backward_delta", 14, [](void** p) { nn_backward_delta(A(0, const StepTable*),
      A(1, const float*), A(2, const float*), A(3, int), A(4, const float*), A(5, const float*),
      A(6, const float*), A(7, int), A(8, int), A(9, float*), A(10, float*), A(11, int),
      A(12, float*), A(13, unsigned int*)); }},
  {"nn_update", 18, [](void** p) { nn_update(A(0, StepTable*), A(1, const LayerDesc*),
      A(2, int), A(3, long long), A(4, float*), A(5, float*), A(6, float*), A(7, float*),
      A(8, int), A(9, int), A(10, float), A(11, float), A(12, float), A(13, float),
      A(14, float), A(15, float), A(16, float), A(17, unsigned int*)); }},
  {"nn_head", 17, [](void** p) { nn_head(A(0, const StepTable*), A(1, const float*), A(2, int),
      A(3, const float*), A(4, const float*), A(5, int), A(6, float*), A(7, float*),
      A(8, const int*), A(9, float*), A(10, float*), A(11, int), A(12, const float*),
      A(13, const float*), A(14, int), A(15, float*), A(16, int)); }},
};

struct EmuLaunch {
  EmuFunction* f;
  unsigned grid, block;
  std::vector<uint64_t> args;
};
struct EmuGraph { std::vector<EmuLaunch> launches; };
static bool g_capturing = false;
static EmuGraph* g_capture = nullptr;
static size_t g_allocated = 0;
static int g_handle = 0;

// Every kernel is a grid-stride loop (or one block), so any grid computes the same result:
// the emulator runs at most 3 blocks, which also checks that the strides are right.
static void emu_execute(const EmuLaunch& l) {
  std::vector<uint64_t> copy = l.args;
  std::vector<void*> ptrs;
  for (auto& v : copy) ptrs.push_back(&v);
  emu_run(l.grid < 3 ? l.grid : 3, l.block, [&] { l.f->call(ptrs.data()); });
}

extern "C" {
int cuInit(unsigned) { return 0; }
int cuDriverGetVersion(int* v) { *v = 13000; return 0; }
int cuGetErrorName(int e, const char** s) { *s = e == 1 ? "CUDA_ERROR_INVALID_VALUE" : "CUDA_ERROR_UNKNOWN"; return 0; }
int cuGetErrorString(int e, const char** s) { *s = "emulator error"; return 0; }
int cuDeviceGetCount(int* n) { *n = 1; return 0; }
int cuDeviceGet(int* d, int) { *d = 0; return 0; }
int cuDeviceGetName(char* name, int len, int) { std::strncpy(name, "CPU emulator of a CUDA device", len); return 0; }
int cuDeviceGetAttribute(int* v, int attr, int) {
  *v = attr == 75 ? 9 : attr == 76 ? 0 : attr == 16 ? 4 : 0; return 0; }
int cuDeviceTotalMem_v2(size_t* b, int) { *b = (size_t)8 << 30; return 0; }
int cuDevicePrimaryCtxRetain(void** c, int) { *c = &g_handle; return 0; }
int cuCtxSetCurrent(void*) { return 0; }
int cuMemGetInfo_v2(size_t* f, size_t* t) { *t = (size_t)8 << 30; *f = *t - g_allocated; return 0; }
int cuMemAlloc_v2(uint64_t* p, size_t n) {
  void* m = std::aligned_alloc(256, (n + 255) / 256 * 256);
  if (!m) return 2;
  std::memset(m, 0xA5, n);  // poison: kernels must write what they read
  g_allocated += n;
  *p = (uint64_t)m; return 0; }
int cuMemFree_v2(uint64_t p) { std::free((void*)p); return 0; }
int cuMemcpyHtoDAsync_v2(uint64_t d, const void* s, size_t n, void*) {
  if (g_capturing) return 900; std::memcpy((void*)d, s, n); return 0; }
int cuMemcpyDtoHAsync_v2(void* d, uint64_t s, size_t n, void*) {
  if (g_capturing) return 900; std::memcpy(d, (void*)s, n); return 0; }
int cuMemsetD8Async(uint64_t d, unsigned char v, size_t n, void*) {
  if (g_capturing) return 900; std::memset((void*)d, v, n); return 0; }
int cuStreamCreate(void** s, unsigned) { *s = &g_handle; return 0; }
int cuStreamSynchronize(void*) { return g_capturing ? 900 : 0; }
int cuStreamDestroy_v2(void*) { return 0; }
int cuModuleLoadData(void** m, const void* image) { *m = image ? &g_handle : nullptr; return image ? 0 : 1; }
int cuModuleGetFunction(void** f, void*, const char* name) {
  for (auto& fn : emu_functions) if (std::strcmp(fn.name, name) == 0) { *f = &fn; return 0; }
  return 500; }
int cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                   unsigned bz, unsigned shared, void* stream, void** params, void** extra) {
  if (gy != 1 || gz != 1 || by != 1 || bz != 1 || bx == 0 || bx > 1024 || bx % 32 != 0 || gx == 0) return 1;
  EmuFunction* fn = (EmuFunction*)f;
  EmuLaunch l{fn, gx, bx, {}};
  for (int i = 0; i < fn->params; i++) { uint64_t v = 0; std::memcpy(&v, params[i], 8); l.args.push_back(v); }
  if (g_capturing) g_capture->launches.push_back(l); else emu_execute(l);
  return 0; }
int cuStreamBeginCapture_v2(void*, int) {
  if (std::getenv("NN_EMU_FAIL_CAPTURE")) return 801;  // CUDA_ERROR_NOT_SUPPORTED
  g_capturing = true; g_capture = new EmuGraph(); return 0; }
int cuStreamEndCapture(void*, void** g) { g_capturing = false; *g = g_capture; g_capture = nullptr; return 0; }
int cuGraphInstantiateWithFlags(void** e, void* g, unsigned long long) { *e = g; return 0; }
int cuGraphLaunch(void* e, void*) { for (auto& l : ((EmuGraph*)e)->launches) emu_execute(l); return 0; }
int cuGraphExecDestroy(void*) { return 0; }
int cuGraphDestroy(void* g) { delete (EmuGraph*)g; return 0; }
}
