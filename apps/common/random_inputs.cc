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

std::vector<int64_t> InputShape(const infer_value_desc& desc,
                                const std::map<std::string, int64_t>& dims,
                                std::optional<int64_t> missing) {
  std::vector<int64_t> shape;
  for (size_t i = 0; i < desc.rank; ++i) {
    int64_t d = desc.dims[i];
    if (d < 0) {
      const char* sym = desc.dim_symbols ? desc.dim_symbols[i] : nullptr;
      auto it = sym ? dims.find(sym) : dims.end();
      if (it != dims.end()) {
        d = it->second;
      } else if (missing) {
        d = *missing;
      } else if (sym != nullptr) {
        throw UsageError("input '" + std::string(desc.name) + "' has symbolic dim '" + sym +
                         "'; give its value with --dim " + sym + "=N");
      } else {
        throw Failure("dim " + std::to_string(i) + " of input '" + desc.name +
                      "' is dynamic and has no name to give with --dim");
      }
    }
    shape.push_back(d);
  }
  return shape;
}

TensorHandle RandomInput(const infer_value_desc& desc, const std::vector<int64_t>& shape,
                         std::mt19937_64& rng) {
  infer_tensor* raw = nullptr;
  Check(infer_tensor_create(desc.dtype, shape.data(), shape.size(), &raw));
  TensorHandle t(raw);
  if (!FillRandom(desc.dtype, infer_tensor_data(t.get()), infer_tensor_element_count(t.get()),
                  rng)) {
    throw Failure("cannot make random data of dtype " + std::string(infer_dtype_name(desc.dtype)) +
                  " for input '" + desc.name + "'");
  }
  return t;
}

}  // namespace infer::app
