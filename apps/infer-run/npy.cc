#include "npy.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace infer::app {
namespace {

struct DtypeCode {
  infer_dtype dtype;
  const char* descr;
};
constexpr DtypeCode kCodes[] = {
    {INFER_DTYPE_FLOAT32, "<f4"}, {INFER_DTYPE_FLOAT64, "<f8"}, {INFER_DTYPE_FLOAT16, "<f2"},
    {INFER_DTYPE_INT8, "|i1"},    {INFER_DTYPE_UINT8, "|u1"},   {INFER_DTYPE_INT16, "<i2"},
    {INFER_DTYPE_UINT16, "<u2"},  {INFER_DTYPE_INT32, "<i4"},   {INFER_DTYPE_UINT32, "<u4"},
    {INFER_DTYPE_INT64, "<i8"},   {INFER_DTYPE_UINT64, "<u8"},  {INFER_DTYPE_BOOL, "|b1"},
};

// Value of 'key' in the header dict, e.g. "'descr': '<f4'" -> "<f4".
std::string DictValue(const std::string& header, const std::string& key) {
  const size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) return "";
  size_t p = header.find(':', k);
  if (p == std::string::npos) return "";
  ++p;
  while (p < header.size() && header[p] == ' ') ++p;
  if (p >= header.size()) return "";
  if (header[p] == '\'') {
    const size_t end = header.find('\'', p + 1);
    return end == std::string::npos ? "" : header.substr(p + 1, end - p - 1);
  }
  if (header[p] == '(') {
    const size_t end = header.find(')', p);
    return end == std::string::npos ? "" : header.substr(p, end - p + 1);
  }
  const size_t end = header.find_first_of(",}", p);
  return header.substr(p, end == std::string::npos ? std::string::npos : end - p);
}

bool ParseShape(const std::string& tuple, std::vector<int64_t>* shape) {
  if (tuple.size() < 2 || tuple.front() != '(' || tuple.back() != ')') return false;
  std::stringstream ss(tuple.substr(1, tuple.size() - 2));
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t b = item.find_first_not_of(' ');
    if (b == std::string::npos) continue;  // trailing comma of a 1-tuple
    char* end = nullptr;
    const long long v = std::strtoll(item.c_str() + b, &end, 10);
    if (v < 0 || end == item.c_str() + b) return false;
    shape->push_back(v);
  }
  return true;
}

}  // namespace

bool ReadNpy(const std::string& path, NpyArray* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open '" + path + "'";
    return false;
  }
  char magic[8] = {};
  in.read(magic, 8);
  if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    *error = "'" + path + "' is not a .npy file";
    return false;
  }
  const int major = static_cast<unsigned char>(magic[6]);
  uint32_t header_len = 0;
  if (major == 1) {
    unsigned char len2[2];
    in.read(reinterpret_cast<char*>(len2), 2);
    header_len = static_cast<uint32_t>(len2[0] | (len2[1] << 8));
  } else {
    unsigned char len4[4];
    in.read(reinterpret_cast<char*>(len4), 4);
    header_len = static_cast<uint32_t>(len4[0] | (len4[1] << 8) | (len4[2] << 16) |
                                       (static_cast<uint32_t>(len4[3]) << 24));
  }
  if (!in || header_len > (1u << 20)) {
    *error = "'" + path + "': bad .npy header";
    return false;
  }
  std::string header(header_len, '\0');
  in.read(header.data(), header_len);
  const std::string descr = DictValue(header, "descr");
  out->dtype = INFER_DTYPE_UNDEFINED;
  // Byte order: '<' little, '|' not applicable, '=' native (little on our targets).
  const bool little = !descr.empty() && (descr[0] == '<' || descr[0] == '|' || descr[0] == '=');
  for (const auto& c : kCodes) {
    if (little && descr.substr(1) == c.descr + 1) out->dtype = c.dtype;
  }
  if (out->dtype == INFER_DTYPE_UNDEFINED) {
    *error = "'" + path + "': unsupported .npy dtype '" + descr + "'";
    return false;
  }
  if (DictValue(header, "fortran_order") != "False") {
    *error = "'" + path + "': Fortran-order arrays are not supported";
    return false;
  }
  out->shape.clear();
  if (!ParseShape(DictValue(header, "shape"), &out->shape)) {
    *error = "'" + path + "': bad shape in .npy header";
    return false;
  }
  size_t count = 1;
  for (int64_t d : out->shape) {
    if (d != 0 && count > std::numeric_limits<size_t>::max() / 16 / static_cast<size_t>(d)) {
      *error = "'" + path + "': array too large";
      return false;
    }
    count *= static_cast<size_t>(d);
  }
  const size_t nbytes = count * infer_dtype_size(out->dtype);
  out->data.resize(nbytes);
  in.read(reinterpret_cast<char*>(out->data.data()), static_cast<std::streamsize>(nbytes));
  if (static_cast<size_t>(in.gcount()) != nbytes) {
    *error = "'" + path + "': file is shorter than its header says";
    return false;
  }
  return true;
}

bool WriteNpy(const std::string& path, infer_dtype dtype, const int64_t* shape, size_t rank,
              const void* data, size_t nbytes, std::string* error) {
  const char* descr = nullptr;
  for (const auto& c : kCodes) {
    if (c.dtype == dtype) descr = c.descr;
  }
  if (descr == nullptr) {
    *error = std::string("cannot write dtype ") + infer_dtype_name(dtype) + " to .npy";
    return false;
  }
  std::string dims;
  for (size_t i = 0; i < rank; ++i) {
    dims += std::to_string(shape[i]);
    if (rank == 1 || i + 1 < rank) dims += rank == 1 ? "," : ", ";  // (n,) is a 1-tuple
  }
  std::string header =
      std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Pad so the data starts on a 64-byte boundary, ending in '\n'.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream outf(path, std::ios::binary);
  if (!outf) {
    *error = "cannot write '" + path + "'";
    return false;
  }
  const auto len = static_cast<uint16_t>(header.size());
  const char preamble[10] = {'\x93',
                             'N',
                             'U',
                             'M',
                             'P',
                             'Y',
                             1,
                             0,
                             static_cast<char>(len & 0xff),
                             static_cast<char>(len >> 8)};
  outf.write(preamble, 10);
  outf.write(header.data(), static_cast<std::streamsize>(header.size()));
  outf.write(static_cast<const char*>(data), static_cast<std::streamsize>(nbytes));
  if (!outf) {
    *error = "failed writing '" + path + "'";
    return false;
  }
  return true;
}

}  // namespace infer::app
