// RNN, GRU, LSTM: output shapes from X's sequence and batch sizes, the
// direction count and hidden_size (or R's last dimension).
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/defs/def_helpers.h"
#include "schema/shape_helpers.h"

namespace infer::core::defs {
namespace {

absl::Status InferRecurrent(InferenceContext& ctx) {
  const std::string direction = ctx.attr_string("direction", "forward");
  if (direction != "forward" && direction != "reverse" && direction != "bidirectional") {
    return ctx.Error(absl::StrCat("direction '", direction, "' is not supported"));
  }
  const Dim num_dir = KnownDim(direction == "bidirectional" ? 2 : 1);
  const bool batch_major = ctx.attr_int("layout", 0) != 0;
  const Shape& x = ctx.input_shape(0);
  if (x.rank_known && x.rank() != 3) {
    return ctx.Error(absl::StrCat("X has shape ", x.ToString(), ", expected 3 dimensions"));
  }
  Dim seq = x.rank_known ? x.dims[batch_major ? 1 : 0] : DynamicDim();
  Dim batch = x.rank_known ? x.dims[batch_major ? 0 : 1] : DynamicDim();
  Dim hidden;
  if (const Attribute* h = ctx.attr("hidden_size")) {
    if (h->i <= 0) return ctx.Error(absl::StrCat("hidden_size must be positive, got ", h->i));
    hidden = KnownDim(h->i);
  } else if (ctx.input_shape(2).rank_known && ctx.input_shape(2).rank() == 3) {
    hidden = ctx.input_shape(2).dims[2];  // R is [num_directions, k * hidden, hidden]
  }
  for (size_t i = 1; i < 3; ++i) {
    const Shape& w = ctx.input_shape(i);
    if (!w.rank_known) continue;
    if (w.rank() != 3 || !UnifyDims(w.dims[0], num_dir).ok()) {
      return ctx.Error(absl::StrCat(i == 1 ? "W" : "R", " has shape ", w.ToString(), ", expected [",
                                    num_dir.value, ", ?, ?] for direction '", direction, "'"));
    }
  }
  if (ctx.has_output(0)) {
    ctx.set_output_shape(0,
                         RankedShape(batch_major ? std::vector<Dim>{batch, seq, num_dir, hidden}
                                                 : std::vector<Dim>{seq, num_dir, batch, hidden}));
  }
  const Shape state = RankedShape(batch_major ? std::vector<Dim>{batch, num_dir, hidden}
                                              : std::vector<Dim>{num_dir, batch, hidden});
  for (size_t i = 1; i < ctx.output_count(); ++i) {
    if (ctx.has_output(i)) ctx.set_output_shape(i, state);  // Y_h, and LSTM's Y_c
  }
  return absl::OkStatus();
}

OpSchema Recurrent(const char* op, int64_t since) {
  const std::string_view name(op);
  OpSchema s{
      .op_type = op,
      .since_version = since,
      .doc = absl::StrCat(op, " over a sequence; Y holds every step, Y_h the last."),
      .inputs = {In("X"), In("W"), In("R"), Optional("B"), Optional("sequence_lens", "T1"),
                 Optional("initial_h")},
      .outputs = {Optional("Y"), Optional("Y_h")},
      .attributes = {Attr("activation_alpha", INFER_ATTR_FLOATS),
                     Attr("activation_beta", INFER_ATTR_FLOATS),
                     Attr("activations", INFER_ATTR_STRINGS), Attr("clip", INFER_ATTR_FLOAT),
                     Attr("direction", INFER_ATTR_STRING), Attr("hidden_size", INFER_ATTR_INT)},
      .type_constraints = {Types("T", since >= 22 ? FloatsAt(22) : kFloats),
                           Types("T1", Bit(INFER_DTYPE_INT32))},
      .infer = InferRecurrent};
  if (since >= 14) s.attributes.push_back(Attr("layout", INFER_ATTR_INT));
  if (name == "GRU") s.attributes.push_back(Attr("linear_before_reset", INFER_ATTR_INT));
  if (name == "LSTM") {
    s.inputs.push_back(Optional("initial_c"));
    s.inputs.push_back(Optional("P"));
    s.outputs.push_back(Optional("Y_c"));
    s.attributes.push_back(Attr("input_forget", INFER_ATTR_INT));
  }
  return s;
}

}  // namespace

std::vector<OpSchema> RecurrentSchemas() {
  std::vector<OpSchema> out;
  // 14 adds layout (batch-major X and outputs), 22 bfloat16.
  for (const char* op : {"RNN", "GRU", "LSTM"}) {
    for (int64_t since : {7, 14, 22}) out.push_back(Recurrent(op, since));
  }
  return out;
}

}  // namespace infer::core::defs
