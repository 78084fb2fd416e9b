// common_subexpression_elimination: computes each distinct expression once. Nodes with the
// same operator, inputs and attributes are merged into the first, and small constants with
// equal contents into one, which lets their readers merge in turn (exporters often repeat
// the same scalar or axes constant for every layer).
#include <string>
#include <unordered_map>

#include "pass_util.h"
#include "passes.h"

namespace infer::basic_passes {
namespace {

// Larger constants are rarely duplicated and costly to hash.
constexpr size_t kMaxMergedConstantBytes = 8192;

template <typename T>
void append_bytes(std::string& key, const T& x) {
  key.append(reinterpret_cast<const char*>(&x), sizeof(T));
}

size_t merge_equal_constants(GraphEditor& g) {
  size_t merged = 0;
  std::unordered_map<std::string, size_t> first;  // dtype, shape, bytes -> value
  const size_t n = g.host()->graph_value_count(g.graph());
  for (size_t v = 0; v < n; ++v) {
    const std::optional<plugin::ConstantView> c = fixed_constant(g, v);
    // String tensors hold pointers, so their bytes say nothing about contents.
    if (!c || c->dtype == INFER_DTYPE_STRING || c->nbytes > kMaxMergedConstantBytes ||
        g.host()->value_consumer_count(g.graph(), v) == 0) {
      continue;
    }
    std::string key;
    append_bytes(key, c->dtype);
    append_bytes(key, c->shape.size());
    for (int64_t d : c->shape) append_bytes(key, d);
    if (c->nbytes > 0) key.append(static_cast<const char*>(c->data), c->nbytes);
    auto [it, inserted] = first.try_emplace(std::move(key), v);
    if (inserted || !can_replace_uses(g, v)) continue;
    g.replace_uses(v, it->second);  // the copy, now unread, goes in unused_initializer_removal
    ++merged;
  }
  return merged;
}

bool mergeable(const GraphEditor& g, size_t node) {
  return is_default_domain(g, node) && !is_nondeterministic(g.node(node).op_type()) &&
         !has_graph_attribute(g, node);
}

// Operator, inputs and output arity: nodes can only be equal when these are.
std::string expression_key(const GraphEditor& g, size_t node) {
  const plugin::NodeView n = g.node(node);
  std::string key(n.op_type());
  key += '\0';
  for (size_t i = 0; i < n.input_count(); ++i) append_bytes(key, n.input(i));
  key += '\0';
  for (size_t i = 0; i < n.output_count(); ++i) key += n.output(i) == INFER_NO_VALUE ? '0' : '1';
  return key;
}

// Makes the readers of `dup`'s outputs read `kept`'s and removes `dup`, or does
// nothing if any used output cannot be rewired.
bool merge_into(GraphEditor& g, size_t dup, size_t kept) {
  const plugin::NodeView d = g.node(dup);
  const plugin::NodeView k = g.node(kept);
  for (size_t i = 0; i < d.output_count(); ++i) {
    const size_t v = d.output(i);
    if (is_used(g, v) && (k.output(i) == INFER_NO_VALUE || !can_replace_uses(g, v))) return false;
  }
  for (size_t i = 0; i < d.output_count(); ++i) {
    if (is_used(g, d.output(i))) g.replace_uses(d.output(i), k.output(i));
  }
  g.remove_node(dup);
  return true;
}

}  // namespace

size_t eliminate_common_subexpressions(GraphEditor& g, const infer_config*) {
  size_t changed = merge_equal_constants(g);
  // A merge makes the readers of both nodes share inputs, so sweep until stable.
  for (bool again = true; again;) {
    again = false;
    std::unordered_map<std::string, std::vector<size_t>> kept;
    for (size_t node : live_nodes(g)) {
      if (!mergeable(g, node)) continue;
      std::vector<size_t>& same_key = kept[expression_key(g, node)];
      bool merged = false;
      for (size_t other : same_key) {
        if (attributes_equal(g, other, node) && merge_into(g, node, other)) {
          merged = true;
          break;
        }
      }
      if (merged) {
        ++changed;
        again = true;
      } else {
        same_key.push_back(node);
      }
    }
  }
  return changed;
}

}  // namespace infer::basic_passes
