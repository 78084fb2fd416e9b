// Private to the ONNX frontend: TensorProto -> dense host bytes, shared by
// initializers and TENSOR attributes.
#ifndef INFER_FRONTENDS_ONNX_TENSOR_DECODE_H_
#define INFER_FRONTENDS_ONNX_TENSOR_DECODE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "infer/plugin_api.h"

namespace onnx {
class TensorProto;
}

namespace infer::onnx_fe {

// A decoded dense tensor. The bytes either borrow the proto's raw_data (no
// copy of large weights) or live in `owned`, so it must not outlive the
// proto it came from.
class DecodedTensor {
 public:
  infer_dtype dtype = INFER_DTYPE_UNDEFINED;
  std::vector<int64_t> dims;

  const void* data() const {
    return borrowed_ ? static_cast<const void*>(borrowed_data_.data()) : owned_.data();
  }
  size_t nbytes() const { return borrowed_ ? borrowed_data_.size() : owned_.size(); }
  infer_tensor_view view() const;

  void Borrow(std::string_view bytes) {
    borrowed_ = true;
    borrowed_data_ = bytes;
  }
  void Own(std::vector<uint8_t> bytes) {
    borrowed_ = false;
    owned_ = std::move(bytes);
  }

 private:
  bool borrowed_ = false;
  std::string_view borrowed_data_;
  std::vector<uint8_t> owned_;
};

// Maps an ONNX element type to infer_dtype (the numbering is shared).
// UNDEFINED passes through; complex and unknown types throw.
infer_dtype DtypeFromOnnx(int32_t elem_type, const std::string& what);

// Product of dims, refusing negative dims and size_t overflow.
size_t CheckedElementCount(std::span<const int64_t> dims, const std::string& what);

// "[2,3]" for messages.
std::string ShapeString(std::span<const int64_t> dims);

// Decodes every storage form: typed fields, raw_data (little-endian) and
// external data under model_dir. `what` names the tensor in errors.
DecodedTensor DecodeTensor(const onnx::TensorProto& tensor, const char* model_dir,
                           const std::string& what);

}  // namespace infer::onnx_fe

#endif  // INFER_FRONTENDS_ONNX_TENSOR_DECODE_H_
