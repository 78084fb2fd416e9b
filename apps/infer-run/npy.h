// Reading and writing NumPy .npy files (format versions 1-3, little-endian,
// C order), the exchange format of infer-run's --input and --output-dir.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "infer/infer.h"

namespace infer::app {

struct NpyArray {
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  std::vector<int64_t> shape;
  std::vector<unsigned char> data;
};

// Returns false and sets *error on any problem (bad magic, unsupported
// dtype, Fortran order, size mismatch).
bool ReadNpy(const std::string& path, NpyArray* out, std::string* error);
bool WriteNpy(const std::string& path, infer_dtype dtype, const int64_t* shape, size_t rank,
              const void* data, size_t nbytes, std::string* error);

}  // namespace infer::app
