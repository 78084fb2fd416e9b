#include "tensor_decode.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>

#include "external_data.h"
#include "host_check.h"

namespace infer::onnx_fe {
namespace {

using infer::plugin::dtype_size;
using onnx::TensorProto;

// infer_dtype promises onnx.TensorProto.DataType numbering; keep it honest.
constexpr bool Same(infer_dtype a, TensorProto::DataType b) {
  return static_cast<int>(a) == static_cast<int>(b);
}
static_assert(Same(INFER_DTYPE_FLOAT32, TensorProto::FLOAT));
static_assert(Same(INFER_DTYPE_UINT8, TensorProto::UINT8));
static_assert(Same(INFER_DTYPE_INT8, TensorProto::INT8));
static_assert(Same(INFER_DTYPE_UINT16, TensorProto::UINT16));
static_assert(Same(INFER_DTYPE_INT16, TensorProto::INT16));
static_assert(Same(INFER_DTYPE_INT32, TensorProto::INT32));
static_assert(Same(INFER_DTYPE_INT64, TensorProto::INT64));
static_assert(Same(INFER_DTYPE_STRING, TensorProto::STRING));
static_assert(Same(INFER_DTYPE_BOOL, TensorProto::BOOL));
static_assert(Same(INFER_DTYPE_FLOAT16, TensorProto::FLOAT16));
static_assert(Same(INFER_DTYPE_FLOAT64, TensorProto::DOUBLE));
static_assert(Same(INFER_DTYPE_UINT32, TensorProto::UINT32));
static_assert(Same(INFER_DTYPE_UINT64, TensorProto::UINT64));
static_assert(Same(INFER_DTYPE_BFLOAT16, TensorProto::BFLOAT16));
// The float8 types (TensorProto 17..20) are newer than the onnx headers this may build with;
// data_type and elem_type are plain int32 fields, so their values are the infer_dtype ones.

size_t CheckedByteSize(size_t count, size_t elem, const std::string& what,
                       std::span<const int64_t> dims) {
  if (elem != 0 && count > std::numeric_limits<size_t>::max() / elem) {
    Fail(INFER_INVALID_MODEL, what + " shape " + ShapeString(dims) + " is too large");
  }
  return count * elem;
}

// Reads a whole decimal string as an unsigned integer; anything else
// (sign, spaces, trailing text) is a malformed model.
uint64_t ParseU64(const std::string& text, const std::string& key, const std::string& what) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    Fail(INFER_INVALID_MODEL, what + " external data has an invalid " + key + " " + Quote(text));
  }
  return v;
}

std::vector<uint8_t> ReadExternal(const TensorProto& t, const char* model_dir, size_t nbytes,
                                  const std::string& what) {
  std::optional<std::string> location;
  std::optional<uint64_t> offset, length;
  for (const auto& kv : t.external_data()) {
    const std::string& key = kv.key();
    bool dup = (key == "location" && location) || (key == "offset" && offset) ||
               (key == "length" && length);
    if (dup) Fail(INFER_INVALID_MODEL, what + " external data repeats the key " + Quote(key));
    if (key == "location") location = kv.value();
    if (key == "offset") offset = ParseU64(kv.value(), key, what);
    if (key == "length") length = ParseU64(kv.value(), key, what);
    // Other keys (checksum, basepath) carry nothing needed to load.
  }
  if (!location) Fail(INFER_INVALID_MODEL, what + " has external data with no location");
  // Without a length the tensor's own size is read, as onnxruntime does.
  if (length && *length != nbytes) {
    Fail(INFER_INVALID_MODEL, what + " external data length " + std::to_string(*length) +
                                  " does not match its shape " +
                                  ShapeString(std::span(t.dims().data(), t.dims().size())) + " (" +
                                  std::to_string(nbytes) + " bytes)");
  }
  return ReadExternalData(model_dir, *location, offset.value_or(0), nbytes, what);
}

struct FieldCount {
  const char* name;
  size_t count;
};

// The typed field that holds values of `dtype`, and how many it has.
FieldCount TypedField(const TensorProto& t, infer_dtype dtype) {
  auto n = [](int size) { return static_cast<size_t>(size); };
  switch (dtype) {
    case INFER_DTYPE_FLOAT32:
      return {"float_data", n(t.float_data_size())};
    case INFER_DTYPE_FLOAT64:
      return {"double_data", n(t.double_data_size())};
    case INFER_DTYPE_INT64:
      return {"int64_data", n(t.int64_data_size())};
    case INFER_DTYPE_UINT32:
    case INFER_DTYPE_UINT64:
      return {"uint64_data", n(t.uint64_data_size())};
    default:
      return {"int32_data", n(t.int32_data_size())};
  }
}

// Converts a repeated field to dense elements of type Dst; same-type fields
// are one memcpy, narrower ones keep the low bits (the ONNX bit pattern).
template <typename Dst, typename Src>
void CopyField(const google::protobuf::RepeatedField<Src>& src, uint8_t* dst) {
  if constexpr (std::is_same_v<Dst, Src>) {
    if (!src.empty()) std::memcpy(dst, src.data(), src.size() * sizeof(Src));
  } else {
    for (int k = 0; k < src.size(); ++k) {
      const Dst v = static_cast<Dst>(src.Get(k));
      std::memcpy(dst + static_cast<size_t>(k) * sizeof(Dst), &v, sizeof(Dst));
    }
  }
}

// Copies the typed field that matches dtype. int32_data also carries the
// narrow types, each value holding the element's bit pattern.
std::vector<uint8_t> DecodeTypedFields(const TensorProto& t, infer_dtype dtype, size_t count,
                                       const std::string& what, std::span<const int64_t> dims) {
  const auto [field, have] = TypedField(t, dtype);
  const size_t total =
      static_cast<size_t>(t.float_data_size()) + static_cast<size_t>(t.double_data_size()) +
      static_cast<size_t>(t.int64_data_size()) + static_cast<size_t>(t.uint64_data_size()) +
      static_cast<size_t>(t.int32_data_size());
  if (have != count || total != have) {
    Fail(INFER_INVALID_MODEL, what + " has " + std::to_string(have) + " values in " + field +
                                  (total != have ? " and values in other typed fields" : "") +
                                  ", but its shape " + ShapeString(dims) + " needs " +
                                  std::to_string(count) + " " + infer::plugin::dtype_name(dtype) +
                                  " values");
  }

  std::vector<uint8_t> out(count * dtype_size(dtype));
  uint8_t* dst = out.data();
  switch (dtype) {
    case INFER_DTYPE_FLOAT32:
      CopyField<float>(t.float_data(), dst);
      break;
    case INFER_DTYPE_FLOAT64:
      CopyField<double>(t.double_data(), dst);
      break;
    case INFER_DTYPE_INT64:
      CopyField<int64_t>(t.int64_data(), dst);
      break;
    case INFER_DTYPE_UINT64:
      CopyField<uint64_t>(t.uint64_data(), dst);
      break;
    case INFER_DTYPE_UINT32:
      CopyField<uint32_t>(t.uint64_data(), dst);
      break;
    case INFER_DTYPE_INT32:
      CopyField<int32_t>(t.int32_data(), dst);
      break;
    case INFER_DTYPE_BOOL:
      // Any non-zero value is true; store the canonical 1.
      for (size_t i = 0; i < count; ++i) dst[i] = t.int32_data(static_cast<int>(i)) != 0 ? 1 : 0;
      break;
    case INFER_DTYPE_INT8:
    case INFER_DTYPE_UINT8:
    case INFER_DTYPE_FLOAT8E4M3FN:
    case INFER_DTYPE_FLOAT8E4M3FNUZ:
    case INFER_DTYPE_FLOAT8E5M2:
    case INFER_DTYPE_FLOAT8E5M2FNUZ:
      CopyField<uint8_t>(t.int32_data(), dst);
      break;
    case INFER_DTYPE_INT16:
    case INFER_DTYPE_UINT16:
    case INFER_DTYPE_FLOAT16:
    case INFER_DTYPE_BFLOAT16:
      CopyField<uint16_t>(t.int32_data(), dst);
      break;
    default:
      Fail(INFER_INTERNAL, what + ": no typed-field decoder for its data type");
  }
  return out;
}

// raw_data and external data are little-endian by the ONNX spec.
void LittleEndianToNative(std::vector<uint8_t>& bytes, size_t elem) {
  if constexpr (std::endian::native == std::endian::big) {
    for (size_t i = 0; i + elem <= bytes.size(); i += elem) {
      std::reverse(bytes.begin() + static_cast<std::ptrdiff_t>(i),
                   bytes.begin() + static_cast<std::ptrdiff_t>(i + elem));
    }
  } else {
    (void)bytes;
    (void)elem;
  }
}

}  // namespace

infer_tensor_view DecodedTensor::view() const {
  infer_tensor_view v{};
  v.dtype = dtype;
  v.rank = dims.size();
  v.shape = dims.data();
  // The ABI's view is non-const, but every consumer of this view copies.
  v.data = const_cast<void*>(data());
  v.nbytes = nbytes();
  return v;
}

infer_dtype DtypeFromOnnx(int32_t elem_type, const std::string& what) {
  switch (elem_type) {
    case TensorProto::UNDEFINED:
    case TensorProto::FLOAT:
    case TensorProto::UINT8:
    case TensorProto::INT8:
    case TensorProto::UINT16:
    case TensorProto::INT16:
    case TensorProto::INT32:
    case TensorProto::INT64:
    case TensorProto::STRING:
    case TensorProto::BOOL:
    case TensorProto::FLOAT16:
    case TensorProto::DOUBLE:
    case TensorProto::UINT32:
    case TensorProto::UINT64:
    case TensorProto::BFLOAT16:
    case INFER_DTYPE_FLOAT8E4M3FN:
    case INFER_DTYPE_FLOAT8E4M3FNUZ:
    case INFER_DTYPE_FLOAT8E5M2:
    case INFER_DTYPE_FLOAT8E5M2FNUZ:
      return static_cast<infer_dtype>(elem_type);
    case TensorProto::COMPLEX64:
    case TensorProto::COMPLEX128:
      Fail(INFER_UNIMPLEMENTED, what + " has a complex element type, which is not supported");
    default:
      Fail(INFER_INVALID_MODEL, what + " has unknown element type " + std::to_string(elem_type));
  }
}

size_t CheckedElementCount(std::span<const int64_t> dims, const std::string& what) {
  size_t count = 1;
  for (int64_t d : dims) {
    if (d < 0) {
      Fail(INFER_INVALID_MODEL, what + " has a negative dimension in shape " + ShapeString(dims));
    }
    const auto ud = static_cast<uint64_t>(d);
    if (ud > std::numeric_limits<size_t>::max() ||
        (ud != 0 && count > std::numeric_limits<size_t>::max() / ud)) {
      Fail(INFER_INVALID_MODEL, what + " shape " + ShapeString(dims) + " has too many elements");
    }
    count *= static_cast<size_t>(ud);
  }
  return count;
}

std::string ShapeString(std::span<const int64_t> dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i > 0) s += ",";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

DecodedTensor DecodeTensor(const TensorProto& t, const char* model_dir, const std::string& what) {
  if (t.has_segment()) {
    Fail(INFER_UNIMPLEMENTED, what + " is stored in segments, which is not supported");
  }
  if (t.data_type() == TensorProto::STRING) {
    Fail(INFER_UNIMPLEMENTED, what + " is a string tensor; string tensors are not supported");
  }
  DecodedTensor out;
  out.dtype = DtypeFromOnnx(t.data_type(), what);
  if (out.dtype == INFER_DTYPE_UNDEFINED) Fail(INFER_INVALID_MODEL, what + " has no data type");
  out.dims.assign(t.dims().begin(), t.dims().end());
  const std::span<const int64_t> dims(out.dims);
  const size_t elem = dtype_size(out.dtype);
  const size_t count = CheckedElementCount(dims, what);
  const size_t nbytes = CheckedByteSize(count, elem, what, dims);

  const bool has_typed = t.float_data_size() > 0 || t.int32_data_size() > 0 ||
                         t.int64_data_size() > 0 || t.double_data_size() > 0 ||
                         t.uint64_data_size() > 0;
  if (t.data_location() == TensorProto::EXTERNAL) {
    if (t.has_raw_data() || has_typed) {
      Fail(INFER_INVALID_MODEL, what + " has external data and also data inside the model");
    }
    std::vector<uint8_t> bytes = ReadExternal(t, model_dir, nbytes, what);
    LittleEndianToNative(bytes, elem);
    out.Own(std::move(bytes));
  } else if (t.has_raw_data()) {
    if (has_typed) Fail(INFER_INVALID_MODEL, what + " has both raw_data and typed data fields");
    const std::string& raw = t.raw_data();
    if (raw.size() != nbytes) {
      Fail(INFER_INVALID_MODEL, what + " raw_data has " + std::to_string(raw.size()) +
                                    " bytes, but its shape " + ShapeString(dims) + " of " +
                                    infer::plugin::dtype_name(out.dtype) + " needs " +
                                    std::to_string(nbytes));
    }
    if constexpr (std::endian::native == std::endian::little) {
      out.Borrow(raw);
    } else {
      std::vector<uint8_t> bytes(raw.begin(), raw.end());
      LittleEndianToNative(bytes, elem);
      out.Own(std::move(bytes));
    }
  } else {
    out.Own(DecodeTypedFields(t, out.dtype, count, what, dims));
  }
  return out;
}

}  // namespace infer::onnx_fe
