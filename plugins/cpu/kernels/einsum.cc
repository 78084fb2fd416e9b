#include "kernels/einsum.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <type_traits>

namespace infer::cpu {

namespace {

constexpr int kLetters = 52;
// Ellipsis dimensions become labels kEllipsisBase + j after expansion.
constexpr int kEllipsisBase = 64;

char label_char(int id) { return static_cast<char>(id < 26 ? 'a' + id : 'A' + (id - 26)); }

std::vector<int> parse_term(std::string_view term, std::string_view equation) {
  std::vector<int> labels;
  bool ellipsis = false;
  for (size_t i = 0; i < term.size(); ++i) {
    const char c = term[i];
    if (c >= 'a' && c <= 'z') {
      labels.push_back(c - 'a');
    } else if (c >= 'A' && c <= 'Z') {
      labels.push_back(26 + (c - 'A'));
    } else if (c == '.' && term.substr(i, 3) == "..." && !ellipsis) {
      ellipsis = true;
      labels.push_back(kEllipsis);
      i += 2;
    } else {
      fail_attr(str_cat("equation '", equation, "' has an invalid term '", term, "'"));
    }
  }
  return labels;
}

}  // namespace

EinsumEquation parse_einsum(std::string_view equation) {
  std::string s;
  for (char c : equation) {
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  }
  const size_t arrow = s.find("->");
  const std::string_view lhs = std::string_view(s).substr(0, arrow);
  EinsumEquation eq;
  size_t start = 0;
  while (true) {
    const size_t comma = lhs.find(',', start);
    eq.inputs.push_back(parse_term(lhs.substr(start, comma - start), equation));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  std::vector<int> uses(kLetters, 0);
  bool any_ellipsis = false;
  for (const std::vector<int>& term : eq.inputs) {
    for (int l : term) {
      if (l == kEllipsis) {
        any_ellipsis = true;
      } else {
        ++uses[static_cast<size_t>(l)];
      }
    }
  }
  if (arrow != std::string::npos) {
    eq.output = parse_term(std::string_view(s).substr(arrow + 2), equation);
    std::vector<bool> seen(kLetters, false);
    for (int l : eq.output) {
      if (l == kEllipsis) continue;
      if (seen[static_cast<size_t>(l)] || uses[static_cast<size_t>(l)] == 0) {
        fail_attr(str_cat("equation '", equation, "': output label '", label_char(l),
                          seen[static_cast<size_t>(l)] ? "' is repeated" : "' is in no input"));
      }
      seen[static_cast<size_t>(l)] = true;
    }
  } else {
    if (any_ellipsis) eq.output.push_back(kEllipsis);
    std::vector<int> once;
    for (int l = 0; l < kLetters; ++l) {
      if (uses[static_cast<size_t>(l)] == 1) once.push_back(l);
    }
    std::sort(once.begin(), once.end(), [](int a, int b) { return label_char(a) < label_char(b); });
    eq.output.insert(eq.output.end(), once.begin(), once.end());
  }
  return eq;
}

EinsumPlan plan_einsum(const EinsumEquation& eq, std::span<const ShapeSpan> shapes) {
  if (shapes.size() != eq.inputs.size()) {
    fail_input(str_cat("the equation has ", eq.inputs.size(), " operands, got ", shapes.size(),
                       " inputs"));
  }
  // Ellipsis dimensions of every operand, broadcast right-aligned.
  std::vector<size_t> ell_rank(shapes.size(), 0);
  Shape ell_shape;
  for (size_t k = 0; k < shapes.size(); ++k) {
    const std::vector<int>& term = eq.inputs[k];
    const bool has_ellipsis = std::find(term.begin(), term.end(), kEllipsis) != term.end();
    const size_t letters = term.size() - (has_ellipsis ? 1 : 0);
    if (shapes[k].size() < letters || (!has_ellipsis && shapes[k].size() != letters)) {
      fail_input(str_cat("operand ", k, " has shape ", shape_str(shapes[k]), " but its term has ",
                         letters, " labels", has_ellipsis ? " and an ellipsis" : ""));
    }
    numel(shapes[k]);
    if (!has_ellipsis) continue;
    ell_rank[k] = shapes[k].size() - letters;
    const size_t at =
        static_cast<size_t>(std::find(term.begin(), term.end(), kEllipsis) - term.begin());
    const ShapeSpan dims = shapes[k].subspan(at, ell_rank[k]);
    ell_shape = broadcast_shapes(ell_shape, dims);
  }
  const auto ell_total = static_cast<int>(ell_shape.size());

  // Size of every label, and the expanded label list of each operand.
  std::vector<int64_t> size(kEllipsisBase + static_cast<size_t>(ell_total), -1);
  for (int j = 0; j < ell_total; ++j)
    size[static_cast<size_t>(kEllipsisBase + j)] = ell_shape[static_cast<size_t>(j)];
  std::vector<std::vector<int>> expanded(shapes.size());
  for (size_t k = 0; k < shapes.size(); ++k) {
    for (int l : eq.inputs[k]) {
      if (l == kEllipsis) {
        for (size_t j = 0; j < ell_rank[k]; ++j) {
          expanded[k].push_back(kEllipsisBase + ell_total - static_cast<int>(ell_rank[k]) +
                                static_cast<int>(j));
        }
      } else {
        expanded[k].push_back(l);
      }
    }
    for (size_t d = 0; d < expanded[k].size(); ++d) {
      const int l = expanded[k][d];
      if (l >= kEllipsisBase) continue;
      int64_t& s = size[static_cast<size_t>(l)];
      // Like numpy, a dimension of size 1 broadcasts against the label's size.
      if (s >= 0 && s != shapes[k][d] && s != 1 && shapes[k][d] != 1) {
        fail_input(str_cat("label '", label_char(l), "' has sizes ", s, " and ", shapes[k][d]));
      }
      if (s < 0 || s == 1) s = shapes[k][d];
    }
  }

  // Loop order: the output labels, then the rest in order of first appearance.
  std::vector<int> loop_labels;
  for (int l : eq.output) {
    if (l != kEllipsis) {
      loop_labels.push_back(l);
      continue;
    }
    for (int j = 0; j < ell_total; ++j) loop_labels.push_back(kEllipsisBase + j);
  }
  EinsumPlan plan;
  plan.output_loops = loop_labels.size();
  for (const std::vector<int>& labels : expanded) {
    for (int l : labels) {
      if (std::find(loop_labels.begin(), loop_labels.end(), l) == loop_labels.end()) {
        loop_labels.push_back(l);
      }
    }
  }
  for (int l : loop_labels) plan.loop.push_back(size[static_cast<size_t>(l)]);
  plan.y_shape.assign(plan.loop.begin(),
                      plan.loop.begin() + static_cast<std::ptrdiff_t>(plan.output_loops));
  numel(plan.loop);

  for (size_t k = 0; k < shapes.size(); ++k) {
    Shape strides(loop_labels.size(), 0);
    int64_t stride = 1;
    for (size_t d = expanded[k].size(); d-- > 0;) {
      const int l = expanded[k][d];
      // A broadcast dimension of size 1 is read at index 0.
      if (shapes[k][d] != 1 || size[static_cast<size_t>(l)] == 1) {
        const auto pos = static_cast<size_t>(std::find(loop_labels.begin(), loop_labels.end(), l) -
                                             loop_labels.begin());
        strides[pos] += stride;
      }
      stride *= shapes[k][d];
    }
    plan.operand_strides.push_back(std::move(strides));
  }
  return plan;
}

template <typename T>
void einsum(const EinsumPlan& plan, std::span<const T* const> inputs, T* y) {
  // Floats accumulate in double; integers in uint64_t, so that overflow wraps.
  using Acc = std::conditional_t<std::is_integral_v<compute_t<T>>, uint64_t, double>;
  const int64_t ny = dims_product(plan.y_shape, 0, plan.y_shape.size());
  const int64_t n_sum = dims_product(plan.loop, plan.output_loops, plan.loop.size());
  const size_t loops = plan.loop.size(), n_ops = inputs.size();
  if (n_sum == 0) {  // an empty sum is zero, and no odometer step would move the output
    std::fill_n(y, ny, store<T>(compute_t<T>{0}));
    return;
  }
  Shape index(loops, 0);
  std::vector<int64_t> offset(n_ops, 0);
  for (int64_t o = 0; o < ny; ++o) {
    Acc acc = 0;
    for (int64_t s = 0; s < n_sum; ++s) {
      Acc product = 1;
      for (size_t k = 0; k < n_ops; ++k) {
        const auto v = load(inputs[k][offset[k]]);
        if constexpr (std::is_integral_v<compute_t<T>>) {
          product *= static_cast<Acc>(static_cast<int64_t>(v));
        } else {
          product *= static_cast<double>(v);
        }
      }
      acc += product;
      for (size_t d = loops; d-- > 0;) {  // odometer over all loops, innermost first
        for (size_t k = 0; k < n_ops; ++k) offset[k] += plan.operand_strides[k][d];
        if (++index[d] < plan.loop[d]) break;
        for (size_t k = 0; k < n_ops; ++k) offset[k] -= plan.operand_strides[k][d] * plan.loop[d];
        index[d] = 0;
      }
    }
    if constexpr (std::is_integral_v<compute_t<T>>) {
      y[o] = static_cast<T>(acc);
    } else {
      y[o] = store<T>(static_cast<compute_t<T>>(acc));
    }
  }
}

#define INFER_CPU_EINSUM_INSTANTIATE(T) \
  template void einsum<T>(const EinsumPlan&, std::span<const T* const>, T*);
INFER_CPU_EINSUM_INSTANTIATE(float)
INFER_CPU_EINSUM_INSTANTIATE(double)
INFER_CPU_EINSUM_INSTANTIATE(Float16)
INFER_CPU_EINSUM_INSTANTIATE(BFloat16)
INFER_CPU_EINSUM_INSTANTIATE(int8_t)
INFER_CPU_EINSUM_INSTANTIATE(int16_t)
INFER_CPU_EINSUM_INSTANTIATE(int32_t)
INFER_CPU_EINSUM_INSTANTIATE(int64_t)
INFER_CPU_EINSUM_INSTANTIATE(uint8_t)
INFER_CPU_EINSUM_INSTANTIATE(uint16_t)
INFER_CPU_EINSUM_INSTANTIATE(uint32_t)
INFER_CPU_EINSUM_INSTANTIATE(uint64_t)
#undef INFER_CPU_EINSUM_INSTANTIATE

}  // namespace infer::cpu
