#include <utility>

#include "absl/strings/str_cat.h"
#include "schema/op_schema.h"

namespace infer::core {

InferenceContext::InferenceContext(const Graph& graph, const Node& node, int64_t opset,
                                   std::vector<Shape> input_shapes,
                                   std::vector<infer_dtype> input_types,
                                   std::vector<const Tensor*> input_constants)
    : graph_(graph),
      node_(node),
      opset_(opset),
      input_shapes_(std::move(input_shapes)),
      input_types_(std::move(input_types)),
      input_constants_(std::move(input_constants)),
      output_shapes_(node.outputs.size()),
      output_types_(node.outputs.size(), INFER_DTYPE_UNDEFINED),
      output_constants_(node.outputs.size()) {
  // Callers may pass short vectors; pad so every accessor below is in range.
  const size_t n = node.inputs.size();
  input_shapes_.resize(n);
  input_types_.resize(n, INFER_DTYPE_UNDEFINED);
  input_constants_.resize(n, nullptr);
}

bool InferenceContext::has_input(size_t i) const {
  return i < node_.inputs.size() && node_.inputs[i] != kNoValue;
}

bool InferenceContext::has_output(size_t i) const {
  return i < node_.outputs.size() && node_.outputs[i] != kNoValue;
}

void InferenceContext::set_output(size_t i, infer_dtype dtype, Shape shape) {
  output_types_[i] = dtype;
  output_shapes_[i] = std::move(shape);
}

int64_t InferenceContext::attr_int(std::string_view name, int64_t fallback) const {
  const Attribute* a = attr(name);
  return a != nullptr && a->type == INFER_ATTR_INT ? a->i : fallback;
}

float InferenceContext::attr_float(std::string_view name, float fallback) const {
  const Attribute* a = attr(name);
  return a != nullptr && a->type == INFER_ATTR_FLOAT ? a->f : fallback;
}

std::string InferenceContext::attr_string(std::string_view name, std::string fallback) const {
  const Attribute* a = attr(name);
  return a != nullptr && a->type == INFER_ATTR_STRING ? a->s : std::move(fallback);
}

std::vector<int64_t> InferenceContext::attr_ints(std::string_view name,
                                                 std::vector<int64_t> fallback) const {
  const Attribute* a = attr(name);
  return a != nullptr && a->type == INFER_ATTR_INTS ? a->ints : std::move(fallback);
}

absl::Status InferenceContext::Error(std::string_view message) const {
  return absl::InvalidArgumentError(
      absl::StrCat(node_.Describe(), ": ", absl::string_view(message.data(), message.size())));
}

absl::Status InferenceContext::Error(const absl::Status& cause) const {
  return absl::InvalidArgumentError(absl::StrCat(node_.Describe(), ": ", cause.message()));
}

}  // namespace infer::core
