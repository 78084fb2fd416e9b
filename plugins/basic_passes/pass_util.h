// Small queries and rewrites shared by the level-1 passes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "infer/pass_cxx.hpp"

namespace infer::basic_passes {

using plugin::GraphEditor;

// Ids of the live nodes, ascending.
std::vector<size_t> live_nodes(const GraphEditor& g);

// Opset of the default domain.
int64_t default_opset(const GraphEditor& g);

// True for the default ONNX domain ("" or "ai.onnx").
bool is_default_domain(const GraphEditor& g, size_t node);

// A constant whose data is fixed: an initializer or folded value that is not
// also a graph input (those are defaults the caller may override at run time).
bool is_fixed_constant(const GraphEditor& g, size_t v);
std::optional<plugin::ConstantView> fixed_constant(const GraphEditor& g, size_t v);

// Every present input of the node is a fixed constant.
bool all_inputs_constant(const GraphEditor& g, size_t node);

// Ops whose result differs from run to run: never folded or merged.
bool is_nondeterministic(std::string_view op_type);

// The node has a subgraph attribute (If, Loop, Scan...).
bool has_graph_attribute(const GraphEditor& g, size_t node);

// Same attribute names with the same type and content (graph attributes never match).
bool attributes_equal(const GraphEditor& g, size_t a, size_t b);

// Both shapes have a known rank and the same dims: equal sizes, or both
// dynamic with the same symbol.
bool same_shape(const GraphEditor& g, size_t a, size_t b);

// Element count of a fully static shape, nullopt if unknown.
std::optional<int64_t> static_element_count(const GraphEditor& g, size_t v);

// Something reads v or it is a graph output.
bool is_used(const GraphEditor& g, size_t v);

// graph_replace_uses would accept `from`: it is not a graph output and no
// subgraph reads it (a subgraph read shows as a consumer without an explicit input).
bool can_replace_uses(const GraphEditor& g, size_t from);

// Rewires the readers of node's output `out` to `replacement` and removes the
// node, if can_replace_uses allows it and no other output of the node is used.
// Returns whether it did; the graph is untouched otherwise.
bool bypass_node(GraphEditor& g, size_t node, size_t out, size_t replacement);

// Every element of a numeric constant equals x (float, int and bool types).
bool all_elements_equal(const plugin::ConstantView& c, double x);

// An INT64 or INT32 constant read as int64 values; nullopt otherwise.
std::optional<std::vector<int64_t>> constant_ints(const GraphEditor& g, size_t v);

// A fixed FLOAT32 constant's data, copied (adding initializers may move the original);
// nullopt for any other type or a constant whose data is missing.
std::optional<std::vector<float>> constant_floats(const GraphEditor& g, size_t v);

}  // namespace infer::basic_passes
