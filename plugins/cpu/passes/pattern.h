// Matching helpers shared by the cpu backend's passes: which nodes a cpu pass may touch,
// constants, shapes, activation recognition, and the one rewrite every fusion ends with.
#ifndef INFER_PLUGINS_CPU_PASSES_PATTERN_H_
#define INFER_PLUGINS_CPU_PASSES_PATTERN_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu_passes.h"

namespace infer::cpu_passes {

using plugin::GraphEditor;

// A live node of this op type (default domain unless given) placed on the cpu backend: the
// only nodes a cpu pass may rewrite.
bool is_cpu_op(const GraphEditor& g, size_t node, std::string_view op_type,
               std::string_view domain = "");
// Calls rewrite(g, node) for every cpu node of op_type, in id order (nodes it adds are
// visited too), and returns the sum of what it returns: the pass's change count.
template <typename Rewrite>
size_t for_each_cpu_op(GraphEditor& g, std::string_view op_type, Rewrite&& rewrite) {
  size_t changed = 0;
  for (size_t n = 0; n < g.node_count(); ++n) {
    if (is_cpu_op(g, n, op_type)) changed += rewrite(g, n);
  }
  return changed;
}
// The only consumer of v (v no graph output), if it is a cpu node of this op type.
std::optional<size_t> sole_cpu_consumer(const GraphEditor& g, size_t v, std::string_view op_type,
                                        std::string_view domain = "");
// The only consumer of v, whatever its type, if it is placed on cpu.
std::optional<size_t> sole_cpu_consumer(const GraphEditor& g, size_t v);

bool is_float32(const GraphEditor& g, size_t v);
// float32, or a type the graph does not know (dynamic models): for values whose type a
// float32 constant operand of the same node already fixes (ONNX ops take one T).
bool float32_or_unknown(const GraphEditor& g, size_t v);
// Opset of the default domain (a graph that imports none gets the current one).
int64_t default_opset(const GraphEditor& g);
// Rank of v when the graph knows it.
std::optional<size_t> known_rank(const GraphEditor& g, size_t v);
// True when a and b certainly have the same shape: same rank and, per dimension, the same
// static size or the same symbol.
bool same_shape(const GraphEditor& g, size_t a, size_t b);

// Data of a float32 constant, or nullopt (not constant or another type).
std::optional<std::vector<float>> float_constant(const GraphEditor& g, size_t v);
// Value of a float constant holding one element (any shape of ones).
std::optional<double> scalar_constant(const GraphEditor& g, size_t v);
// A one-element float constant within rel_tol of x (exporters round 1/sqrt(2) differently).
bool is_scalar_near(const GraphEditor& g, size_t v, double x, double rel_tol = 1e-4);
// Constant c combined elementwise with v cannot change v's shape: c has rank 0, or no more
// dimensions than v's known rank (c holds one element).
bool keeps_shape(const GraphEditor& g, size_t c, size_t v);
// For a two-input node reading v once: the index (0 or 1) of its other input.
std::optional<size_t> other_input_index(const GraphEditor& g, size_t node, size_t v);

// An activation the fused operators apply in their epilogue, as the attributes `activation`
// (the ONNX op type) and `activation_params`.
struct ActivationSpec {
  std::string name;
  std::vector<float> params;
};
// Recognises a float32 cpu node as an activation: Relu, Clip (constant or absent bounds),
// Sigmoid, Tanh, LeakyRelu, HardSigmoid, HardSwish, and exact Gelu (standard or com.infer).
std::optional<ActivationSpec> match_activation(const GraphEditor& g, size_t node);
// The activation node that is the only consumer of v, if any.
struct ActivationMatch {
  std::vector<size_t> nodes;  // the activation's nodes: one, or Sigmoid and Mul for Silu
  size_t output;              // the value the activation produces
  ActivationSpec spec;
};
std::optional<ActivationMatch> activation_after(const GraphEditor& g, size_t v);
void set_activation_attrs(GraphEditor& g, size_t node, const ActivationSpec& act);

// Removes `old_nodes` and adds one node op_type(inputs) writing `output` (a value one of the
// removed nodes wrote, so its consumers, dtype and shape stay). Takes the name of the first
// removed node and, when attrs_from is given, copies its attributes. Sets the com.infer
// opset for com.infer ops. Returns the new node.
size_t replace_nodes(GraphEditor& g, std::span<const size_t> old_nodes, const char* op_type,
                     const char* domain, const std::vector<size_t>& inputs, size_t output,
                     std::optional<size_t> attrs_from = std::nullopt);

}  // namespace infer::cpu_passes

#endif  // INFER_PLUGINS_CPU_PASSES_PATTERN_H_
