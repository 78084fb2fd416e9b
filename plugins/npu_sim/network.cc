#include "network.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#include "fp16.h"
#include "infer/plugin_cxx.hpp"
#include "quant.h"

namespace infer::npu_sim {

int64_t numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

int64_t elem_bytes(Elem e) {
  switch (e) {
    case Elem::kF16:
      return 2;
    case Elem::kF32:
    case Elem::kI32:
      return 4;
    case Elem::kI8:
    case Elem::kU8:
      return 1;
  }
  return 1;
}

const char* elem_name(Elem e) {
  switch (e) {
    case Elem::kF16:
      return "fp16";
    case Elem::kF32:
      return "fp32";
    case Elem::kI8:
      return "int8";
    case Elem::kU8:
      return "uint8";
    case Elem::kI32:
      return "int32";
  }
  return "?";
}

infer_dtype host_dtype(Elem e) {
  switch (e) {
    case Elem::kI8:
      return INFER_DTYPE_INT8;
    case Elem::kU8:
      return INFER_DTYPE_UINT8;
    case Elem::kI32:
      return INFER_DTYPE_INT32;
    case Elem::kF16:
    case Elem::kF32:
      return INFER_DTYPE_FLOAT32;
  }
  return INFER_DTYPE_FLOAT32;
}

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ",";
    out += s[i] < 0 ? "?" : std::to_string(s[i]);
  }
  return out + "]";
}

namespace {

using plugin::PluginError;

[[noreturn]] void refuse(const std::string& why) { throw PluginError(INFER_UNIMPLEMENTED, why); }
[[noreturn]] void malformed(const std::string& why) { throw PluginError(INFER_INVALID_MODEL, why); }

std::string value_label(const ValueSnapshot& v) { return "'" + v.name + "'"; }

// Every tensor npu_sim touches is float32 (computed as fp16), int8 or uint8.
Elem elem_of(const ValueSnapshot& v) {
  switch (v.dtype) {
    case INFER_DTYPE_FLOAT32:
      return Elem::kF16;
    case INFER_DTYPE_INT8:
      return Elem::kI8;
    case INFER_DTYPE_UINT8:
      return Elem::kU8;
    case INFER_DTYPE_UNDEFINED:
      refuse("tensor " + value_label(v) + " has no known dtype (none inferred or in value_info)");
    default:
      refuse("tensor " + value_label(v) + " has dtype " + plugin::dtype_name(v.dtype) +
             "; npu_sim runs float32 (computed as fp16), int8 and uint8 tensors only");
  }
}

bool is_quant_dtype(infer_dtype t) { return t == INFER_DTYPE_INT8 || t == INFER_DTYPE_UINT8; }

// Static shape of rank <= 6.
Shape checked_shape(const ValueSnapshot& v) {
  if (!v.rank_known) refuse("tensor " + value_label(v) + " has an unknown rank (dynamic shape)");
  for (int64_t d : v.dims) {
    if (d < 0) {
      refuse("tensor " + value_label(v) + " has a dynamic shape " + shape_str(v.dims) +
             "; npu_sim needs static shapes");
    }
  }
  if (v.dims.size() > kMaxRank) {
    refuse("tensor " + value_label(v) + " has rank " + std::to_string(v.dims.size()) +
           ", more than npu_sim's " + std::to_string(kMaxRank));
  }
  return v.dims;
}

// Numpy broadcasting of two shapes; empty optional if they do not broadcast.
bool broadcast(const Shape& a, const Shape& b, Shape& out) {
  const size_t r = std::max(a.size(), b.size());
  out.assign(r, 1);
  for (size_t i = 0; i < r; ++i) {
    const int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    const int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da != db && da != 1 && db != 1) return false;
    out[i] = da == 1 ? db : da;
  }
  return true;
}

float const_scalar(const ValueSnapshot& v, const char* what) {
  const std::vector<float> f = v.floats();
  if (!v.is_const || !v.has_data() || f.size() != 1) {
    refuse(std::string(what) + " " + value_label(v) + " is not a constant float scalar");
  }
  return f[0];
}

std::vector<int64_t> two_ints(const NodeSnapshot& n, const char* key, int64_t fallback) {
  std::vector<int64_t> v = n.attr_ints(key, {fallback, fallback});
  if (v.size() != 2) refuse(std::string("attribute ") + key + " must have 2 values (2-D only)");
  return v;
}

// Kernel, strides, dilations and pads (explicit or auto_pad) of a 2-D window over HxW.
Window2d make_window(const NodeSnapshot& n, int64_t h, int64_t w, int64_t kh, int64_t kw) {
  Window2d win;
  win.kh = kh;
  win.kw = kw;
  const auto s = two_ints(n, "strides", 1);
  const auto d = two_ints(n, "dilations", 1);
  win.sh = s[0], win.sw = s[1], win.dh = d[0], win.dw = d[1];
  if (win.sh < 1 || win.sw < 1 || win.dh < 1 || win.dw < 1)
    malformed("strides and dilations must be >= 1");
  const std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    auto same = [&](int64_t in, int64_t k, int64_t st, int64_t dil, int64_t& lo, int64_t& hi) {
      const int64_t out = (in + st - 1) / st;
      const int64_t total = std::max<int64_t>(0, (out - 1) * st + (k - 1) * dil + 1 - in);
      lo = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      hi = total - lo;
    };
    same(h, kh, win.sh, win.dh, win.pad_top, win.pad_bottom);
    same(w, kw, win.sw, win.dw, win.pad_left, win.pad_right);
  } else if (auto_pad == "NOTSET" || auto_pad.empty()) {
    const auto p = n.attr_ints("pads", {0, 0, 0, 0});
    if (p.size() != 4) refuse("attribute pads must have 4 values (2-D only)");
    win.pad_top = p[0], win.pad_left = p[1], win.pad_bottom = p[2], win.pad_right = p[3];
    for (int64_t v : p) {
      if (v < 0) refuse("negative pads are not supported");
    }
  } else if (auto_pad != "VALID") {
    malformed("unknown auto_pad '" + auto_pad + "'");
  }
  return win;
}

int64_t window_out(int64_t in, int64_t pad_lo, int64_t pad_hi, int64_t k, int64_t s, int64_t d) {
  return (in + pad_lo + pad_hi - ((k - 1) * d + 1)) / s + 1;
}

void check_limit(int64_t value, int64_t limit, const std::string& what) {
  if (value > limit) {
    refuse(what + " " + std::to_string(value) + " exceeds npu_sim's limit of " +
           std::to_string(limit));
  }
}

void check_kernel(int64_t kh, int64_t kw, int64_t limit) {
  if (kh > limit || kw > limit) {
    refuse("kernel " + std::to_string(kh) + "x" + std::to_string(kw) + " exceeds npu_sim's " +
           std::to_string(limit) + "x" + std::to_string(limit) + " limit");
  }
}

int64_t normalize_axis(int64_t axis, size_t rank) {
  const auto r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) malformed("axis " + std::to_string(axis) + " is out of range");
  return axis < 0 ? axis + r : axis;
}

class Builder {
 public:
  Builder(Network& net, int64_t opset) : net_(net), opset_(opset) {}

  int add_input(const ValueSnapshot& v) {
    if (index_.contains(v.id))
      throw PluginError(INFER_INVALID_ARGUMENT, "input " + value_label(v) + " listed twice");
    const Elem e = elem_of(v);
    return add_tensor(v, checked_shape(v), e);
  }

  // A value an op reads: a known tensor or a constant (floats converted to fp16 once, int8 and
  // uint8 kept as they are).
  int use(const ValueSnapshot& v) {
    if (auto it = index_.find(v.id); it != index_.end()) return it->second;
    if (!v.is_const) {
      throw PluginError(INFER_INVALID_ARGUMENT, "input " + value_label(v) +
                                                    " is neither a partition input, a constant, "
                                                    "nor produced by an earlier node");
    }
    const Elem e = elem_of(v);
    const Shape shape = checked_shape(v);
    const std::vector<float> f32 = e == Elem::kF16 ? v.floats() : std::vector<float>{};
    const std::vector<int64_t> i64 = e == Elem::kF16 ? std::vector<int64_t>{} : v.ints();
    const size_t count = e == Elem::kF16 ? f32.size() : i64.size();
    if (!v.has_data() || static_cast<int64_t>(count) != numel(shape)) {
      malformed("constant " + value_label(v) + " has no data of its shape");
    }
    const int t = add_tensor(v, shape, e);
    Tensor& tensor = net_.tensors[t];
    tensor.is_const = true;
    if (e == Elem::kF16) {
      tensor.data.resize(count * 2);
      std::vector<uint16_t> halves(count);
      floats_to_halves(f32.data(), count, halves.data());
      std::memcpy(tensor.data.data(), halves.data(), count * 2);
    } else {
      const auto [lo, hi] = quant_range(e);
      for (int64_t q : i64) {
        if (q < lo || q > hi)
          malformed("constant " + value_label(v) + " holds out-of-range values");
        tensor.data.push_back(static_cast<uint8_t>(q));
      }
    }
    return t;
  }

  int output_of(const ValueSnapshot& v, const Shape& expected, Elem elem = Elem::kF16) {
    if (elem_of(v) != elem) {
      malformed("output " + value_label(v) + " has dtype " + plugin::dtype_name(v.dtype) +
                ", expected " + plugin::dtype_name(host_dtype(elem)));
    }
    const Shape shape = checked_shape(v);
    if (shape != expected) {
      malformed("output " + value_label(v) + " has shape " + shape_str(shape) + ", expected " +
                shape_str(expected));
    }
    if (index_.contains(v.id)) malformed("output " + value_label(v) + " is defined twice");
    return add_tensor(v, shape, elem);
  }

  int find(size_t id) const {
    auto it = index_.find(id);
    return it == index_.end() ? -1 : it->second;
  }

  Op build(const NodeSnapshot& n) {
    if (!n.domain.empty() && n.domain != "ai.onnx") {
      refuse("op '" + n.op_type + "' of domain '" + n.domain + "' is not supported by npu_sim");
    }
    const std::string& t = n.op_type;
    check_int8_use(n);
    if (n.outputs.size() != 1 || !n.outputs[0].present()) {
      if (!(t == "MaxPool" && n.outputs.size() == 2 && !n.outputs[1].present())) {
        refuse("only a single output is supported");
      }
    }
    Op op;
    op.label = n.describe();
    if (t == "Conv") return conv(n, op);
    if (t == "Gemm" || t == "MatMul") return matmul(n, op);
    if (t == "Add" || t == "Mul") return binary(n, op, t == "Add" ? OpKind::kAdd : OpKind::kMul);
    if (t == "Relu" || t == "Sigmoid" || t == "Clip") return unary(n, op);
    if (t == "MaxPool" || t == "AveragePool") return pool(n, op);
    if (t == "GlobalAveragePool") return global_pool(n, op);
    if (t == "Concat") return concat(n, op);
    if (t == "Reshape" || t == "Flatten") return reshape(n, op);
    if (t == "Softmax") return softmax(n, op);
    if (t == "QuantizeLinear") return quantize(n, op);
    if (t == "DequantizeLinear") return dequantize(n, op);
    if (t == "QLinearConv") return qlinear_conv(n, op);
    if (t == "QLinearMatMul") return qlinear_matmul(n, op);
    refuse("op '" + t + "' is not supported by npu_sim");
  }

 private:
  int add_tensor(const ValueSnapshot& v, const Shape& shape, Elem elem) {
    net_.tensors.push_back({v.name, shape, elem, false, {}});
    const int t = static_cast<int>(net_.tensors.size() - 1);
    index_[v.id] = t;
    return t;
  }
  const Shape& shape(int t) const { return net_.tensors[t].shape; }
  const ValueSnapshot& input(const NodeSnapshot& n, size_t i) const {
    if (i >= n.inputs.size() || !n.inputs[i].present())
      malformed("input " + std::to_string(i) + " is missing");
    return n.inputs[i];
  }
  bool has_input(const NodeSnapshot& n, size_t i) const {
    return i < n.inputs.size() && n.inputs[i].present();
  }

  Op conv(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kConv;
    const int x = use(input(n, 0));
    const int w = use_weights(input(n, 1));
    const Shape out = conv_geometry(n, op, x, w);
    const int64_t m = out[1];
    op.in = {x, w, -1};
    if (has_input(n, 2)) {
      const ValueSnapshot& bv = n.inputs[2];
      if (!bv.is_const) refuse("bias " + value_label(bv) + " is not a constant initializer");
      op.in[2] = use(bv);
      if (shape(op.in[2]) != Shape{m}) malformed("bias shape " + shape_str(shape(op.in[2])));
    }
    op.out = output_of(n.outputs[0], out);
    return op;
  }

  int use_weights(const ValueSnapshot& wv) {
    if (!wv.is_const) refuse("weights " + value_label(wv) + " are not a constant initializer");
    return use(wv);
  }

  // Window, group and output shape of a Conv or QLinearConv of x by weights w.
  Shape conv_geometry(const NodeSnapshot& n, Op& op, int x, int w) {
    const Shape& xs = shape(x);
    const Shape& ws = shape(w);
    if (xs.size() != 4 || ws.size() != 4)
      refuse("only 2-D convolution (4-D input and weights) is supported");
    const int64_t kh = ws[2], kw = ws[3];
    const auto ks = n.attr_ints("kernel_shape", {kh, kw});
    if (ks != std::vector<int64_t>{kh, kw}) malformed("kernel_shape does not match the weights");
    check_kernel(kh, kw, 7);
    op.win = make_window(n, xs[2], xs[3], kh, kw);
    check_limit(std::max(op.win.sh, op.win.sw), 2, "stride");
    if (op.win.dh != 1 || op.win.dw != 1) refuse("dilation other than 1 is not supported");
    op.group = n.attr_int("group", 1);
    const int64_t m = ws[0];
    if (op.group < 1 || xs[1] % op.group || m % op.group || ws[1] != xs[1] / op.group) {
      malformed("channels " + std::to_string(xs[1]) + ", weights " + shape_str(ws) + " and group " +
                std::to_string(op.group) + " do not agree");
    }
    const Window2d& win = op.win;
    const Shape out{xs[0], m, window_out(xs[2], win.pad_top, win.pad_bottom, kh, win.sh, win.dh),
                    window_out(xs[3], win.pad_left, win.pad_right, kw, win.sw, win.dw)};
    if (out[2] < 1 || out[3] < 1) malformed("empty output");
    return out;
  }

  Op matmul(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kMatMul;
    const int a = use(input(n, 0));
    const int b = use(input(n, 1));
    const Shape &as = shape(a), &bs = shape(b);
    op.in = {a, b, -1};
    if (n.op_type == "Gemm") {
      if (as.size() != 2 || bs.size() != 2) malformed("Gemm operands must be 2-D");
      op.trans_a = n.attr_int("transA", 0) != 0;
      op.trans_b = n.attr_int("transB", 0) != 0;
      op.alpha = n.attr_float("alpha", 1.0f);
      op.beta = n.attr_float("beta", 1.0f);
      const int64_t m = op.trans_a ? as[1] : as[0], k = op.trans_a ? as[0] : as[1];
      const int64_t k2 = op.trans_b ? bs[1] : bs[0], nn = op.trans_b ? bs[0] : bs[1];
      if (k != k2) malformed("Gemm inner dimensions " + shape_str(as) + " x " + shape_str(bs));
      if (has_input(n, 2)) {
        op.in[2] = use(n.inputs[2]);
        Shape bc;
        if (shape(op.in[2]).size() > 2 || !broadcast(shape(op.in[2]), {m, nn}, bc) ||
            bc != Shape{m, nn}) {
          malformed("Gemm C " + shape_str(shape(op.in[2])) + " does not broadcast to " +
                    shape_str({m, nn}));
        }
      }
      op.out = output_of(n.outputs[0], {m, nn});
      return op;
    }
    op.out = output_of(n.outputs[0], matmul_shape(as, bs));
    return op;
  }

  // Output shape of a (Q)MatMul: numpy-broadcast batch dims, 2-D or more operands.
  static Shape matmul_shape(const Shape& as, const Shape& bs) {
    if (as.size() < 2 || bs.size() < 2) refuse("1-D MatMul operands are not supported");
    if (as.back() != bs[bs.size() - 2])
      malformed("MatMul inner dimensions " + shape_str(as) + " x " + shape_str(bs));
    Shape batch;
    if (!broadcast(Shape(as.begin(), as.end() - 2), Shape(bs.begin(), bs.end() - 2), batch)) {
      malformed("MatMul batch dimensions do not broadcast");
    }
    batch.push_back(as[as.size() - 2]);
    batch.push_back(bs.back());
    return batch;
  }

  Op binary(const NodeSnapshot& n, Op& op, OpKind kind) {
    op.kind = kind;
    const int a = use(input(n, 0));
    const int b = use(input(n, 1));
    Shape out;
    if (!broadcast(shape(a), shape(b), out)) malformed("operands do not broadcast");
    op.in = {a, b};
    op.out = output_of(n.outputs[0], out);
    return op;
  }

  Op unary(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kUnary;
    const int x = use(input(n, 0));
    op.in = {x};
    if (n.op_type == "Relu") {
      op.act.kind = Act::kRelu;
    } else if (n.op_type == "Sigmoid") {
      op.act.kind = Act::kSigmoid;
    } else {
      float lo = -std::numeric_limits<float>::infinity(), hi = -lo;
      if (opset_ < 11) {
        lo = n.attr_float("min", lo);
        hi = n.attr_float("max", hi);
      } else {
        if (has_input(n, 1)) lo = const_scalar(n.inputs[1], "Clip min");
        if (has_input(n, 2)) hi = const_scalar(n.inputs[2], "Clip max");
      }
      op.act = {Act::kClip, round_fp16(lo), round_fp16(hi)};
    }
    op.out = output_of(n.outputs[0], shape(x));
    return op;
  }

  Op pool(const NodeSnapshot& n, Op& op) {
    op.kind = n.op_type == "MaxPool" ? OpKind::kMaxPool : OpKind::kAvgPool;
    const int x = use(input(n, 0));
    const Shape& xs = shape(x);
    if (xs.size() != 4) refuse("only 2-D pooling (4-D input) is supported");
    const auto k = n.attr_ints("kernel_shape", {});
    if (k.size() != 2) refuse("only 2-D pooling (2 kernel_shape values) is supported");
    check_kernel(k[0], k[1], 7);
    if (n.attr_int("ceil_mode", 0) != 0) refuse("ceil_mode=1 is not supported");
    op.win = make_window(n, xs[2], xs[3], k[0], k[1]);
    check_limit(std::max(op.win.sh, op.win.sw), 4, "pooling stride");
    if (op.win.dh != 1 || op.win.dw != 1) refuse("pooling dilation other than 1 is not supported");
    if (std::max({op.win.pad_top, op.win.pad_bottom}) >= k[0] ||
        std::max({op.win.pad_left, op.win.pad_right}) >= k[1]) {
      malformed("pads must be smaller than the kernel");
    }
    op.count_include_pad = n.attr_int("count_include_pad", 0) != 0;
    op.in = {x};
    const Window2d& w = op.win;
    op.out = output_of(n.outputs[0],
                       {xs[0], xs[1], window_out(xs[2], w.pad_top, w.pad_bottom, w.kh, w.sh, 1),
                        window_out(xs[3], w.pad_left, w.pad_right, w.kw, w.sw, 1)},
                       net_.tensors[x].elem);
    return op;
  }

  Op global_pool(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kAvgPool;
    const int x = use(input(n, 0));
    const Shape& xs = shape(x);
    if (xs.size() != 4) refuse("only 2-D pooling (4-D input) is supported");
    op.win.kh = xs[2];
    op.win.kw = xs[3];
    op.count_include_pad = true;
    op.in = {x};
    op.out = output_of(n.outputs[0], {xs[0], xs[1], 1, 1});
    return op;
  }

  Op concat(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kConcat;
    if (n.inputs.empty()) malformed("no inputs");
    for (size_t i = 0; i < n.inputs.size(); ++i) op.in.push_back(use(input(n, i)));
    Shape out = shape(op.in[0]);
    const auto* axis_attr = n.attr("axis");
    if (!axis_attr) malformed("attribute axis is missing");
    op.axis = normalize_axis(axis_attr->i, out.size());
    out[op.axis] = 0;
    for (int t : op.in) {
      Shape s = shape(t);
      if (s.size() != out.size()) malformed("inputs of different ranks");
      out[op.axis] += s[op.axis];
      s[op.axis] = out[op.axis];
      if (s != out) malformed("input shapes differ outside the axis");
    }
    op.out = output_of(n.outputs[0], out);
    return op;
  }

  Op reshape(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kReshape;
    const int x = use(input(n, 0));
    if (n.op_type == "Reshape" && (!has_input(n, 1) || !n.inputs[1].is_const)) {
      refuse("the target shape is not a constant");
    }
    const Shape out = checked_shape(n.outputs[0]);
    if (numel(out) != numel(shape(x))) malformed("element count changes");
    op.in = {x};
    op.out = output_of(n.outputs[0], out, net_.tensors[x].elem);
    return op;
  }

  Op softmax(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kSoftmax;
    const int x = use(input(n, 0));
    const size_t rank = shape(x).size();
    if (rank == 0) malformed("Softmax of a scalar");
    const int64_t axis = normalize_axis(n.attr_int("axis", opset_ >= 13 ? -1 : 1), rank);
    if (axis != static_cast<int64_t>(rank) - 1) {
      refuse("Softmax on axis " + std::to_string(axis) + " of a rank-" + std::to_string(rank) +
             " tensor; npu_sim only runs Softmax on the last axis");
    }
    op.in = {x};
    op.out = output_of(n.outputs[0], shape(x));
    return op;
  }

  // Ops that do arithmetic on float values refuse int8/uint8 tensors: adding or scaling
  // quantized values needs their scales, i.e. a QLinear op. Reshape, Flatten and MaxPool are
  // exact on quantized values and run them as they are.
  void check_int8_use(const NodeSnapshot& n) const {
    static const std::map<std::string, std::string> kQLinear = {
        {"Add", "QLinearAdd"},
        {"Mul", "QLinearMul"},
        {"AveragePool", "QLinearAveragePool"},
        {"GlobalAveragePool", "QLinearGlobalAveragePool"},
        {"Sigmoid", "QLinearSigmoid"},
        {"Softmax", "QLinearSoftmax"},
        {"Concat", "QLinearConcat"},
        {"Conv", "QLinearConv"},
        {"MatMul", "QLinearMatMul"},
        {"Gemm", "QGemm"}};
    const std::string& t = n.op_type;
    if (t == "QuantizeLinear" || t == "DequantizeLinear" || t == "QLinearConv" ||
        t == "QLinearMatMul" || t == "Reshape" || t == "Flatten" || t == "MaxPool") {
      return;
    }
    bool int8 = false;
    for (const ValueSnapshot& v : n.inputs) int8 |= v.present() && is_quant_dtype(v.dtype);
    for (const ValueSnapshot& v : n.outputs) int8 |= v.present() && is_quant_dtype(v.dtype);
    if (!int8) return;
    auto it = kQLinear.find(t);
    refuse(t + " on int8 tensors needs requantization" +
           (it == kQLinear.end() ? std::string() : " (" + it->second + ")") +
           " which npu_sim does not run; only Reshape, Flatten and MaxPool run on int8/uint8 "
           "tensors as they are");
  }

  // A quantization parameter must be a constant npu_sim can fold into its commands.
  static const ValueSnapshot& quant_param(const ValueSnapshot& v, const char* what) {
    if (!v.is_const) {
      refuse(std::string(what) + " " + value_label(v) +
             " is not a constant; npu_sim needs constant quantization parameters");
    }
    return v;
  }

  // The values of a constant float32 scale: one (per tensor) or `count` (per channel, when
  // count > 0), else refused with `per_axis` explaining what npu_sim runs.
  static std::vector<float> scales(const ValueSnapshot& v, const char* what, int64_t count,
                                   const std::string& per_axis) {
    quant_param(v, what);
    if (v.dtype != INFER_DTYPE_FLOAT32 || !v.has_data()) {
      refuse(std::string(what) + " " + value_label(v) + " has dtype " +
             plugin::dtype_name(v.dtype) + "; npu_sim needs float32 scales");
    }
    check_param_size(v, what, count, per_axis);
    return v.floats();
  }

  // The values of a constant zero point, whose dtype must be the quantized operand's.
  static std::vector<int32_t> zero_points(const ValueSnapshot& v, const char* what, Elem operand,
                                          int64_t count, const std::string& per_axis) {
    quant_param(v, what);
    if (!is_quant_dtype(v.dtype) || elem_of(v) != operand || !v.has_data()) {
      refuse(std::string(what) + " " + value_label(v) + " has dtype " +
             plugin::dtype_name(v.dtype) + " but its operand is " +
             plugin::dtype_name(host_dtype(operand)) + "; they must match");
    }
    check_param_size(v, what, count, per_axis);
    const std::vector<int64_t> zp = v.ints();
    return {zp.begin(), zp.end()};
  }

  static void check_param_size(const ValueSnapshot& v, const char* what, int64_t count,
                               const std::string& per_axis) {
    const int64_t n = numel(v.dims);
    if (n == 1) return;
    if (count > 0 && n == count && v.dims.back() == count) return;
    refuse(per_axis + " (" + what + " " + value_label(v) + " of shape " + shape_str(v.dims) +
           ") is not supported by npu_sim");
  }

  // The element type of a QuantizeLinear output or a QLinear op's int8 tensor.
  static Elem quant_elem(infer_dtype t, const std::string& what) {
    if (!is_quant_dtype(t)) {
      refuse(what + " " + plugin::dtype_name(t) +
             " is not supported by npu_sim; only int8 and uint8");
    }
    return t == INFER_DTYPE_INT8 ? Elem::kI8 : Elem::kU8;
  }

  void check_per_tensor_attrs(const NodeSnapshot& n) const {
    if (opset_ >= 21 && n.attr_int("block_size", 0) != 0) {
      refuse("blocked quantization (block_size " + std::to_string(n.attr_int("block_size", 0)) +
             ") is not supported by npu_sim");
    }
  }

  Op quantize(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kQuantize;
    op.quantized = true;
    check_per_tensor_attrs(n);
    if (input(n, 0).dtype != INFER_DTYPE_FLOAT32) {
      refuse("QuantizeLinear of " + std::string(plugin::dtype_name(input(n, 0).dtype)) +
             " input is not supported by npu_sim; only float32");
    }
    if (opset_ >= 23 && n.attr_int("precision", 0) != 0 &&
        n.attr_int("precision", 0) != INFER_DTYPE_FLOAT32) {
      refuse("QuantizeLinear precision other than float32 is not supported by npu_sim");
    }
    const int x = use(input(n, 0));
    const std::string per_axis = "per-axis QuantizeLinear";
    op.scale = scales(input(n, 1), "scale", 0, per_axis)[0];
    infer_dtype out = INFER_DTYPE_UINT8;
    if (opset_ >= 21 && n.attr_int("output_dtype", 0) != 0) {
      out = static_cast<infer_dtype>(n.attr_int("output_dtype", 0));
    }
    if (has_input(n, 2)) {
      out = n.inputs[2].dtype;
      op.out_zp = zero_points(n.inputs[2], "zero point", quant_elem(out, "QuantizeLinear to"), 0,
                              per_axis)[0];
    }
    const Elem e = quant_elem(out, "QuantizeLinear to");
    op.in = {x};
    op.out = output_of(n.outputs[0], shape(x), e);
    return op;
  }

  Op dequantize(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kDequantize;
    op.quantized = true;
    check_per_tensor_attrs(n);
    const Elem e = quant_elem(input(n, 0).dtype, "DequantizeLinear of");
    const int x = use(input(n, 0));
    if (opset_ >= 23 && n.attr_int("output_dtype", 0) != 0 &&
        n.attr_int("output_dtype", 0) != INFER_DTYPE_FLOAT32) {
      refuse("DequantizeLinear to a type other than float32 is not supported by npu_sim");
    }
    const std::string per_axis = "per-axis DequantizeLinear";
    op.scale = scales(input(n, 1), "scale", 0, per_axis)[0];
    if (has_input(n, 2)) op.in_zp = zero_points(n.inputs[2], "zero point", e, 0, per_axis)[0];
    op.in = {x};
    op.out = output_of(n.outputs[0], shape(x));
    return op;
  }

  // The per-channel records of a QLinear op: bias, multiplier x_scale * w_scale / y_scale in
  // float32 (as the cpu backend and ONNX Runtime's reference compute it), weight zero point.
  int channel_records(const NodeSnapshot& n, int64_t channels, float x_scale,
                      const std::vector<float>& w_scale, const std::vector<int32_t>& w_zp,
                      float y_scale, const std::vector<int64_t>& bias) {
    Tensor t{n.name + ".requant", {channels, kChannelRecord}, Elem::kI32, true, {}};
    std::vector<int32_t> rec;
    for (int64_t c = 0; c < channels; ++c) {
      const auto i = static_cast<size_t>(c);
      const float mult = x_scale * w_scale[w_scale.size() == 1 ? 0 : i] / y_scale;
      rec.push_back(bias.empty() ? 0 : static_cast<int32_t>(bias[i]));
      rec.push_back(std::bit_cast<int32_t>(mult));
      rec.push_back(w_zp[w_zp.size() == 1 ? 0 : i]);
    }
    t.data.resize(rec.size() * 4);
    std::memcpy(t.data.data(), rec.data(), t.data.size());
    net_.tensors.push_back(std::move(t));
    return static_cast<int>(net_.tensors.size() - 1);
  }

  // The quantized operand at input i, with its scale (i + 1) and zero point (i + 2), both per
  // tensor.
  int quant_operand(const NodeSnapshot& n, size_t i, const char* what, float& scale, int32_t& zp) {
    const Elem e = quant_elem(input(n, i).dtype, n.op_type + " " + what + " of dtype");
    const std::string per_axis = std::string("per-axis ") + what + " quantization";
    scale = scales(input(n, i + 1), "scale", 0, per_axis)[0];
    zp = zero_points(input(n, i + 2), "zero point", e, 0, per_axis)[0];
    return use(input(n, i));
  }

  Op qlinear_conv(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kConv;
    op.quantized = true;
    float xs = 1, ys = 1;
    const int x = quant_operand(n, 0, "input", xs, op.in_zp);
    const Elem we = quant_elem(input(n, 3).dtype, "QLinearConv weights of dtype");
    const int w = use_weights(input(n, 3));
    const Shape out = conv_geometry(n, op, x, w);
    const int64_t m = out[1];
    const std::string per_axis = "weight quantization other than per tensor or per output channel";
    const std::vector<float> ws = scales(input(n, 4), "w_scale", m, per_axis);
    const std::vector<int32_t> wzp = zero_points(input(n, 5), "w_zero_point", we, m, per_axis);
    const Elem ye = quant_elem(input(n, 7).dtype, "QLinearConv output of dtype");
    int32_t y_zp = 0;
    ys = scales(input(n, 6), "y_scale", 0, "per-axis output quantization")[0];
    y_zp = zero_points(input(n, 7), "y_zero_point", ye, 0, "per-axis output quantization")[0];
    std::vector<int64_t> bias;
    if (has_input(n, 8)) {
      const ValueSnapshot& bv = n.inputs[8];
      if (!bv.is_const) refuse("bias " + value_label(bv) + " is not a constant initializer");
      if (bv.dtype != INFER_DTYPE_INT32 || !bv.has_data()) {
        refuse("bias " + value_label(bv) + " has dtype " + plugin::dtype_name(bv.dtype) +
               "; QLinearConv's bias must be int32");
      }
      bias = bv.ints();
      if (bv.dims != Shape{m} || static_cast<int64_t>(bias.size()) != m)
        malformed("bias shape " + shape_str(bv.dims));
    }
    op.out_zp = y_zp;
    op.in = {x, w, channel_records(n, m, xs, ws, wzp, ys, bias)};
    op.out = output_of(n.outputs[0], out, ye);
    return op;
  }

  Op qlinear_matmul(const NodeSnapshot& n, Op& op) {
    op.kind = OpKind::kMatMul;
    op.quantized = true;
    float as = 1;
    const int a = quant_operand(n, 0, "a", as, op.in_zp);
    const Elem be = quant_elem(input(n, 3).dtype, "QLinearMatMul b of dtype");
    const int b = use(input(n, 3));
    const Shape out = matmul_shape(shape(a), shape(b));
    const int64_t cols = out.back();
    const std::string per_axis = "b quantization other than per tensor or per column";
    const std::vector<float> bs = scales(input(n, 4), "b_scale", cols, per_axis);
    const std::vector<int32_t> bzp = zero_points(input(n, 5), "b_zero_point", be, cols, per_axis);
    const Elem ye = quant_elem(input(n, 7).dtype, "QLinearMatMul output of dtype");
    const float ys = scales(input(n, 6), "y_scale", 0, "per-axis output quantization")[0];
    op.out_zp = zero_points(input(n, 7), "y_zero_point", ye, 0, "per-axis output quantization")[0];
    op.in = {a, b, channel_records(n, cols, as, bs, bzp, ys, {})};
    op.out = output_of(n.outputs[0], out, ye);
    return op;
  }

  Network& net_;
  int64_t opset_;
  std::map<size_t, int> index_;
};

}  // namespace

Network build_network(std::span<const NodeSnapshot> nodes, std::span<const ValueSnapshot> inputs,
                      std::span<const ValueSnapshot> outputs, int64_t opset) {
  Network net;
  Builder b(net, opset);
  for (const ValueSnapshot& v : inputs) net.inputs.push_back(b.add_input(v));
  for (const NodeSnapshot& n : nodes) {
    try {
      net.ops.push_back(b.build(n));
    } catch (const PluginError& e) {
      throw PluginError(e.code, n.describe() + ": " + e.message);
    }
  }
  for (const ValueSnapshot& v : outputs) {
    int t = b.find(v.id);
    if (t < 0) t = b.use(v);  // a constant passed straight through
    net.outputs.push_back(t);
  }
  // A float input read only by QuantizeLinear stays float32: quantizing its fp16 rounding
  // would differ from quantizing the host's value.
  for (int t : net.inputs) {
    bool only_quantize = std::find(net.outputs.begin(), net.outputs.end(), t) == net.outputs.end();
    bool read = false;
    for (const Op& op : net.ops) {
      if (std::find(op.in.begin(), op.in.end(), t) == op.in.end()) continue;
      read = true;
      only_quantize &= op.kind == OpKind::kQuantize;
    }
    if (read && only_quantize && net.tensors[t].elem == Elem::kF16)
      net.tensors[t].elem = Elem::kF32;
  }
  return net;
}

}  // namespace infer::npu_sim
