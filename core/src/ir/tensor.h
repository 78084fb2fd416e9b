// Host tensors: dense, row-major, 64-byte aligned. Used for initializers,
// run-time values and the C API's infer_tensor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "infer/plugin_api.h"

namespace infer::core {

size_t DtypeSize(infer_dtype dtype);  // 0 for non fixed-size types
const char* DtypeName(infer_dtype dtype);

// Element count of `shape`, or an error on negative dims or overflow.
absl::StatusOr<size_t> ElementCount(std::span<const int64_t> shape);
// Byte size of a dense tensor, overflow-checked.
absl::StatusOr<size_t> DenseByteSize(infer_dtype dtype, std::span<const int64_t> shape);

class Tensor {
 public:
  // Allocates zero-filled storage.
  static absl::StatusOr<std::shared_ptr<Tensor>> Allocate(infer_dtype dtype,
                                                          std::vector<int64_t> shape);
  // Allocates and copies `nbytes` from `data` (must equal the dense size).
  static absl::StatusOr<std::shared_ptr<Tensor>> Copy(infer_dtype dtype, std::vector<int64_t> shape,
                                                      const void* data, size_t nbytes);
  // Refers to caller memory without owning it.
  static absl::StatusOr<std::shared_ptr<Tensor>> Wrap(infer_dtype dtype, std::vector<int64_t> shape,
                                                      void* data, size_t nbytes);

  infer_dtype dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  size_t element_count() const { return elements_; }
  size_t nbytes() const { return nbytes_; }
  void* data() { return data_; }
  const void* data() const { return data_; }
  template <typename T>
  const T* as() const {
    return static_cast<const T*>(data_);
  }

  // A view for crossing the plugin ABI; valid while this tensor lives.
  infer_tensor_view view() const {
    return infer_tensor_view{dtype_, shape_.size(), shape_.data(), data_, nbytes_};
  }

 private:
  struct AlignedFree {
    void operator()(std::byte* p) const;
  };
  infer_dtype dtype_ = INFER_DTYPE_UNDEFINED;
  std::vector<int64_t> shape_;
  size_t elements_ = 0;
  size_t nbytes_ = 0;
  void* data_ = nullptr;
  std::unique_ptr<std::byte[], AlignedFree> owned_;
};

using TensorPtr = std::shared_ptr<Tensor>;

}  // namespace infer::core
