#include "ir/tensor.h"

#include <cstdlib>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "infer/plugin_cxx.hpp"

namespace infer::core {

// One table of dtype facts, shared with plugins through plugin_cxx.hpp.
size_t DtypeSize(infer_dtype dtype) { return plugin::dtype_size(dtype); }

const char* DtypeName(infer_dtype dtype) { return plugin::dtype_name(dtype); }

absl::StatusOr<size_t> ElementCount(std::span<const int64_t> shape) {
  size_t count = 1;
  for (int64_t d : shape) {
    if (d < 0) return absl::InvalidArgumentError(absl::StrCat("negative dimension ", d));
    const auto ud = static_cast<size_t>(d);
    if (ud != 0 && count > std::numeric_limits<size_t>::max() / ud) {
      return absl::ResourceExhaustedError("tensor element count overflows");
    }
    count *= ud;
  }
  return count;
}

absl::StatusOr<size_t> DenseByteSize(infer_dtype dtype, std::span<const int64_t> shape) {
  const size_t elem = DtypeSize(dtype);
  if (elem == 0) {
    return absl::UnimplementedError(absl::StrCat("dtype ", DtypeName(dtype), " is not supported"));
  }
  auto count = ElementCount(shape);
  if (!count.ok()) return count.status();
  // Cap at 2^48 bytes: anything larger is a hostile or broken model.
  constexpr size_t kMaxBytes = size_t{1} << 48;
  if (*count > kMaxBytes / elem) return absl::ResourceExhaustedError("tensor byte size too large");
  return *count * elem;
}

void Tensor::AlignedFree::operator()(std::byte* p) const { std::free(p); }

absl::StatusOr<std::shared_ptr<Tensor>> Tensor::Allocate(infer_dtype dtype,
                                                         std::vector<int64_t> shape) {
  auto bytes = DenseByteSize(dtype, shape);
  if (!bytes.ok()) return bytes.status();
  auto t = std::make_shared<Tensor>();
  t->dtype_ = dtype;
  t->elements_ = *ElementCount(shape);
  t->shape_ = std::move(shape);
  t->nbytes_ = *bytes;
  // aligned_alloc needs a size that is a multiple of the alignment.
  constexpr size_t kAlign = 64;
  const size_t padded = (t->nbytes_ + kAlign - 1) / kAlign * kAlign;
  if (padded > 0) {
    auto* p = static_cast<std::byte*>(std::aligned_alloc(kAlign, padded));
    if (p == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot allocate ", t->nbytes_, " bytes for a tensor"));
    }
    std::memset(p, 0, padded);
    t->owned_.reset(p);
    t->data_ = p;
  }
  return t;
}

absl::StatusOr<std::shared_ptr<Tensor>> Tensor::Copy(infer_dtype dtype, std::vector<int64_t> shape,
                                                     const void* data, size_t nbytes) {
  auto t = Allocate(dtype, std::move(shape));
  if (!t.ok()) return t.status();
  if ((*t)->nbytes() != nbytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("tensor data has ", nbytes, " bytes, shape needs ", (*t)->nbytes()));
  }
  if (nbytes > 0) std::memcpy((*t)->data(), data, nbytes);
  return t;
}

absl::StatusOr<std::shared_ptr<Tensor>> Tensor::Wrap(infer_dtype dtype, std::vector<int64_t> shape,
                                                     void* data, size_t nbytes) {
  auto bytes = DenseByteSize(dtype, shape);
  if (!bytes.ok()) return bytes.status();
  if (*bytes != nbytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("buffer has ", nbytes, " bytes, shape needs ", *bytes));
  }
  if (data == nullptr && nbytes > 0) return absl::InvalidArgumentError("data is NULL");
  auto t = std::make_shared<Tensor>();
  t->dtype_ = dtype;
  t->elements_ = *ElementCount(shape);
  t->shape_ = std::move(shape);
  t->nbytes_ = nbytes;
  t->data_ = data;
  return t;
}

}  // namespace infer::core
