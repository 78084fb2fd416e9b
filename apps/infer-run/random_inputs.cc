#include "random_inputs.h"

namespace infer::app {
namespace {

template <typename T>
void FillIntegers(void* data, size_t n, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> dist(0, 9);
  auto* p = static_cast<T*>(data);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<T>(dist(rng));
}

}  // namespace

bool FillRandom(infer_dtype dtype, void* data, size_t n, std::mt19937_64& rng) {
  switch (dtype) {
    case INFER_DTYPE_FLOAT32: {
      std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
      auto* p = static_cast<float*>(data);
      for (size_t i = 0; i < n; ++i) p[i] = dist(rng);
      return true;
    }
    case INFER_DTYPE_FLOAT64: {
      std::uniform_real_distribution<double> dist(-1.0, 1.0);
      auto* p = static_cast<double*>(data);
      for (size_t i = 0; i < n; ++i) p[i] = dist(rng);
      return true;
    }
    case INFER_DTYPE_INT8:
      FillIntegers<int8_t>(data, n, rng);
      return true;
    case INFER_DTYPE_UINT8:
      FillIntegers<uint8_t>(data, n, rng);
      return true;
    case INFER_DTYPE_INT16:
      FillIntegers<int16_t>(data, n, rng);
      return true;
    case INFER_DTYPE_UINT16:
      FillIntegers<uint16_t>(data, n, rng);
      return true;
    case INFER_DTYPE_INT32:
      FillIntegers<int32_t>(data, n, rng);
      return true;
    case INFER_DTYPE_UINT32:
      FillIntegers<uint32_t>(data, n, rng);
      return true;
    case INFER_DTYPE_INT64:
      FillIntegers<int64_t>(data, n, rng);
      return true;
    case INFER_DTYPE_UINT64:
      FillIntegers<uint64_t>(data, n, rng);
      return true;
    case INFER_DTYPE_BOOL: {
      std::bernoulli_distribution dist(0.5);
      auto* p = static_cast<uint8_t*>(data);
      for (size_t i = 0; i < n; ++i) p[i] = dist(rng) ? 1 : 0;
      return true;
    }
    default:
      return false;
  }
}

}  // namespace infer::app
