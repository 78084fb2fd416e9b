#include "plugin/custom_ops.h"

#include <algorithm>
#include <exception>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/status.h"
#include "plugin/abi_objects.h"
#include "plugin/plugin_registry.h"

// What a plugin's infer_shapes sees: the core's context for the node, plus storage for the
// dims handed out through shape_input.
struct infer_shape_context {
  infer::core::InferenceContext* ctx = nullptr;
  std::vector<std::vector<int64_t>> dims;
  std::vector<std::vector<const char*>> symbols;
};

// One node's kernel, created through the host for a backend.
struct infer_custom_kernel {
  void* plugin_state = nullptr;
  const infer_custom_kernel_def* def = nullptr;
  void* state = nullptr;  // the plugin's per-node state
  // "FusedDense node 'fd' (custom op com.example.FusedDense-1, plugin 'example_ops')"
  std::string label;
};

namespace infer::core {
namespace {

constexpr std::string_view kReservedDomains[] = {"", "ai.onnx", "ai.onnx.ml", "com.infer",
                                                 "ai.onnx.preview.training"};

std::string Key(std::string_view domain, std::string_view op_type) {
  std::string key(domain);
  key.push_back('\0');
  key.append(op_type);
  return key;
}

bool Empty(const char* s) { return s == nullptr || *s == '\0'; }

std::string OpName(const infer_custom_op_schema& s) {
  return absl::StrCat(s.domain, ".", s.op_type, "-", s.since_version);
}

// Checks what the schema registry cannot: NULL pointers, reserved domains, the kernels.
absl::Status CheckCSchema(const infer_custom_op_schema* s, size_t index) {
  if (s == nullptr)
    return absl::InvalidArgumentError(absl::StrCat("op_schema(", index, ") is NULL"));
  const std::string what = absl::StrCat("op ", index);
  if (s->struct_size < sizeof(infer_custom_op_schema)) {
    return absl::InvalidArgumentError(what + ": infer_custom_op_schema.struct_size is too small");
  }
  if (s->domain == nullptr || Empty(s->op_type)) {
    return absl::InvalidArgumentError(what + ": it needs a domain and an op_type");
  }
  const std::string name = OpName(*s);
  if (std::find(std::begin(kReservedDomains), std::end(kReservedDomains), s->domain) !=
      std::end(kReservedDomains)) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": domain '", s->domain, "' is reserved for standard and engine operators"));
  }
  auto check_params = [&](const infer_op_param* params, size_t n,
                          const char* kind) -> absl::Status {
    if (n > 0 && params == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": ", kind, "s are NULL"));
    }
    for (size_t i = 0; i < n; ++i) {
      if (Empty(params[i].name) || Empty(params[i].type_constraint) ||
          params[i].option > INFER_PARAM_VARIADIC) {
        return absl::InvalidArgumentError(absl::StrCat(
            name, ": ", kind, " ", i, " needs a name, a type constraint and a valid option"));
      }
    }
    return absl::OkStatus();
  };
  INFER_RETURN_IF_ERROR(check_params(s->inputs, s->n_inputs, "input"));
  INFER_RETURN_IF_ERROR(check_params(s->outputs, s->n_outputs, "output"));
  if (s->n_outputs == 0) return absl::InvalidArgumentError(name + ": an op needs an output");
  for (size_t i = 0; i < s->n_attributes; ++i) {
    const infer_op_attr_spec& a = s->attributes[i];
    if (Empty(a.name) || a.type < INFER_ATTR_FLOAT || a.type > INFER_ATTR_STRINGS) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": attribute ", i, " needs a name and a valid type"));
    }
  }
  for (size_t i = 0; i < s->n_type_constraints; ++i) {
    const infer_op_type_constraint& c = s->type_constraints[i];
    if (Empty(c.name) || (c.n_allowed > 0 && c.allowed == nullptr)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": type constraint ", i, " needs a name and its allowed types"));
    }
  }
  if (s->n_kernels == 0 || s->kernels == nullptr) {
    return absl::InvalidArgumentError(name + ": it has no kernel for any backend");
  }
  std::set<std::string_view> backends;
  for (size_t i = 0; i < s->n_kernels; ++i) {
    const infer_custom_kernel_def& k = s->kernels[i];
    if (k.struct_size < sizeof(infer_custom_kernel_def) || Empty(k.backend) ||
        k.compute == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": kernel ", i, " needs struct_size, a backend name and compute()"));
    }
    if (!backends.insert(k.backend).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": two kernels for backend '", k.backend, "'"));
    }
  }
  return absl::OkStatus();
}

const InferenceContext& Ctx(const infer_shape_context* ctx) { return *ctx->ctx; }

// The schema-registry form of a custom op: its shape inference calls the plugin.
OpSchema ToOpSchema(const PluginRecord& plugin, const infer_custom_op_schema& s) {
  OpSchema op;
  op.domain = s.domain;
  op.op_type = s.op_type;
  op.since_version = s.since_version;
  op.doc = s.doc != nullptr ? s.doc : "";
  auto params = [](const infer_op_param* p, size_t n) {
    std::vector<FormalParameter> out;
    for (size_t i = 0; i < n; ++i) {
      out.push_back({p[i].name, p[i].type_constraint,
                     p[i].option == INFER_PARAM_OPTIONAL   ? FormalParameter::Kind::kOptional
                     : p[i].option == INFER_PARAM_VARIADIC ? FormalParameter::Kind::kVariadic
                                                           : FormalParameter::Kind::kSingle});
    }
    return out;
  };
  op.inputs = params(s.inputs, s.n_inputs);
  op.outputs = params(s.outputs, s.n_outputs);
  for (size_t i = 0; i < s.n_attributes; ++i) {
    op.attributes.push_back(
        {s.attributes[i].name, s.attributes[i].type, s.attributes[i].required != 0});
  }
  for (size_t i = 0; i < s.n_type_constraints; ++i) {
    const infer_op_type_constraint& c = s.type_constraints[i];
    op.type_constraints.push_back({c.name, {c.allowed, c.allowed + c.n_allowed}});
  }
  if (s.infer_shapes != nullptr) {
    // The plugin state and name by value: the record may move while plugins load.
    op.infer = [state = plugin.state, name = plugin.name,
                fn = s.infer_shapes](InferenceContext& ctx) -> absl::Status {
      infer_shape_context c;
      c.ctx = &ctx;
      c.dims.resize(ctx.input_count());
      c.symbols.resize(ctx.input_count());
      absl::Status st;
      try {
        st = FromC(fn(state, &c));
      } catch (...) {  // a C++ plugin that let an exception escape
        st = absl::InternalError("an exception escaped the plugin");
      }
      if (st.ok()) return st;
      return ctx.Error(
          absl::StrCat("shape inference of custom-op plugin '", name, "' failed: ", st.message()));
    };
  }
  return op;
}

}  // namespace

absl::Status CustomOpRegistry::AddPlugin(const PluginRecord& plugin, SchemaRegistry& schemas) {
  const size_t n = plugin.custom_ops->op_count(plugin.state);
  if (n == 0) return absl::InvalidArgumentError("it lists no operators");
  // Check everything first, so that a plugin is registered whole or not at all.
  SchemaRegistry staged;  // catches an op listed twice and malformed schemas
  std::vector<std::pair<const infer_custom_op_schema*, OpSchema>> list;
  for (size_t i = 0; i < n; ++i) {
    const infer_custom_op_schema* s = plugin.custom_ops->op_schema(plugin.state, i);
    INFER_RETURN_IF_ERROR(CheckCSchema(s, i));
    const OpSchema* existing = schemas.Find(s->domain, s->op_type, s->since_version);
    if (existing != nullptr && existing->since_version == s->since_version) {
      const Op* owner = nullptr;
      auto it = ops_.find(Key(s->domain, s->op_type));
      if (it != ops_.end()) {
        for (const Op& op : it->second) {
          if (op.schema->since_version == s->since_version) owner = &op;
        }
      }
      return absl::AlreadyExistsError(absl::StrCat(
          "op ", OpName(*s), " is already registered",
          owner ? absl::StrCat(" by plugin '", owner->plugin_name, "'") : std::string()));
    }
    OpSchema op = ToOpSchema(plugin, *s);
    if (absl::Status st = staged.Register(op); !st.ok()) {
      if (st.code() == absl::StatusCode::kAlreadyExists) {
        return absl::AlreadyExistsError(
            absl::StrCat("op ", OpName(*s), " is registered twice by this plugin"));
      }
      return absl::InvalidArgumentError(absl::StrCat(s->domain, ".", st.message()));
    }
    list.emplace_back(s, std::move(op));
  }
  for (auto& [s, op] : list) {
    INFER_RETURN_IF_ERROR(schemas.Register(std::move(op)));
    std::vector<Op>& versions = ops_[Key(s->domain, s->op_type)];
    std::vector<std::string> backends;
    for (size_t k = 0; k < s->n_kernels; ++k) backends.emplace_back(s->kernels[k].backend);
    versions.push_back({plugin.state, plugin.name, s, absl::StrJoin(backends, ",")});
    std::sort(versions.begin(), versions.end(), [](const Op& a, const Op& b) {
      return a.schema->since_version < b.schema->since_version;
    });
  }
  return absl::OkStatus();
}

const CustomOpRegistry::Op* CustomOpRegistry::Find(const Graph& graph, const Node& node) const {
  auto it = ops_.find(Key(node.domain, node.op_type));
  if (it == ops_.end()) return nullptr;
  // Like the schema lookup: a model that imports no opset for the domain resolves to nothing.
  const int64_t opset = graph.Opset(node.domain);
  const Op* found = nullptr;
  for (const Op& op : it->second) {
    if (op.schema->since_version <= opset) found = &op;
  }
  return found;
}

const infer_custom_kernel_def* CustomOpRegistry::KernelFor(const Op& op, std::string_view backend) {
  for (size_t i = 0; i < op.schema->n_kernels; ++i) {
    if (backend == op.schema->kernels[i].backend) return &op.schema->kernels[i];
  }
  return nullptr;
}

std::vector<const CustomOpRegistry::Op*> CustomOpRegistry::All() const {
  std::vector<const Op*> all;
  for (const auto& [key, versions] : ops_) {
    for (const Op& op : versions) all.push_back(&op);
  }
  return all;
}

// --- host functions: shape inference -------------------------------------------------------

size_t ShapeInputCount(const infer_shape_context* ctx) { return ctx ? Ctx(ctx).input_count() : 0; }

infer_status* ShapeInput(const infer_shape_context* ctx, size_t i, infer_value_info* out) {
  if (ctx == nullptr || out == nullptr) {
    return MakeCStatus(INFER_INVALID_ARGUMENT, "shape_input: ctx or out is NULL");
  }
  if (out->struct_size < sizeof(infer_value_info)) {
    return MakeCStatus(INFER_INVALID_ARGUMENT, "infer_value_info.struct_size is too small");
  }
  const InferenceContext& c = Ctx(ctx);
  if (i >= c.input_count()) {
    return MakeCStatus(INFER_OUT_OF_RANGE,
                       absl::StrCat("shape_input: input ", i, " of ", c.input_count()));
  }
  auto& dims = const_cast<infer_shape_context*>(ctx)->dims[i];
  auto& symbols = const_cast<infer_shape_context*>(ctx)->symbols[i];
  const size_t size = out->struct_size;
  *out = infer_value_info{};
  out->struct_size = size;
  if (!c.has_input(i)) return nullptr;  // absent optional input: dtype UNDEFINED
  const Shape& shape = c.input_shape(i);
  dims.clear();
  symbols.clear();
  for (const Dim& d : shape.dims) {
    dims.push_back(d.value);
    symbols.push_back(d.symbol.empty() ? nullptr : d.symbol.c_str());
  }
  out->name = c.graph().value(c.node().inputs[i]).name.c_str();
  out->dtype = c.input_type(i);
  out->rank = shape.rank_known ? shape.rank() : INFER_RANK_UNKNOWN;
  out->dims = dims.data();
  out->dim_symbols = symbols.data();
  if (const Tensor* t = c.input_constant(i)) {
    out->is_constant = 1;
    out->constant = t->view();
  }
  return nullptr;
}

int ShapeAttr(const infer_shape_context* ctx, const char* name, infer_attr_view* out) {
  if (ctx == nullptr || name == nullptr || out == nullptr) return 0;
  const Attribute* a = Ctx(ctx).attr(name);
  if (a == nullptr) return 0;
  FillAttrView(*a, out);
  return 1;
}

size_t ShapeOutputCount(const infer_shape_context* ctx) {
  return ctx ? Ctx(ctx).output_count() : 0;
}

infer_status* ShapeSetOutput(infer_shape_context* ctx, size_t i, infer_dtype dtype, size_t rank,
                             const int64_t* dims) {
  if (ctx == nullptr) return MakeCStatus(INFER_INVALID_ARGUMENT, "shape_set_output: ctx is NULL");
  InferenceContext& c = *ctx->ctx;
  if (!c.has_output(i)) {
    return MakeCStatus(INFER_OUT_OF_RANGE,
                       absl::StrCat("shape_set_output: the node has no output ", i));
  }
  Shape shape;
  if (rank != INFER_RANK_UNKNOWN) {
    if (rank > 0 && dims == nullptr) {
      return MakeCStatus(INFER_INVALID_ARGUMENT, "shape_set_output: dims is NULL");
    }
    shape.rank_known = true;
    for (size_t d = 0; d < rank; ++d) {
      if (dims[d] < 0 && dims[d] != INFER_DIM_DYNAMIC) {
        return MakeCStatus(INFER_INVALID_ARGUMENT,
                           absl::StrCat("shape_set_output: output ", i, " dim ", d, " is ", dims[d],
                                        " (a size must be >= 0, or INFER_DIM_DYNAMIC)"));
      }
      shape.dims.push_back(Dim{dims[d], {}});
    }
  }
  if (dtype != INFER_DTYPE_UNDEFINED) c.set_output_type(i, dtype);
  c.set_output_shape(i, std::move(shape));
  return nullptr;
}

// --- host functions: kernels -----------------------------------------------------------------

namespace {

// The op and kernel def for a node on a backend, or null.
std::pair<const CustomOpRegistry::Op*, const infer_custom_kernel_def*> Lookup(const infer_graph* g,
                                                                              size_t node,
                                                                              const char* backend) {
  if (g == nullptr || backend == nullptr || !AsGraph(g).valid_node(node)) return {};
  const Graph& graph = AsGraph(g);
  const CustomOpRegistry* registry = graph.custom_ops();
  if (registry == nullptr) return {};
  const CustomOpRegistry::Op* op = registry->Find(graph, graph.node(node));
  if (op == nullptr) return {};
  return {op, CustomOpRegistry::KernelFor(*op, backend)};
}

}  // namespace

int CustomKernelAvailable(const infer_graph* g, size_t node, const char* backend) {
  return Lookup(g, node, backend).second != nullptr ? 1 : 0;
}

infer_status* CustomKernelCreate(const infer_graph* g, size_t node, const char* backend,
                                 infer_custom_kernel** out_kernel) {
  if (out_kernel == nullptr) {
    return MakeCStatus(INFER_INVALID_ARGUMENT, "custom_kernel_create: out_kernel is NULL");
  }
  *out_kernel = nullptr;
  auto [op, def] = Lookup(g, node, backend);
  if (def == nullptr) {
    return MakeCStatus(INFER_NOT_FOUND,
                       absl::StrCat("no custom kernel for node ", node, " on backend '",
                                    backend ? backend : "(null)", "'"));
  }
  auto kernel = std::make_unique<infer_custom_kernel>();
  kernel->plugin_state = op->plugin_state;
  kernel->def = def;
  kernel->label = absl::StrCat(AsGraph(g).node(node).Describe(), " (custom op ",
                               OpName(*op->schema), ", plugin '", op->plugin_name, "')");
  if (def->create != nullptr) {
    absl::Status st;
    try {
      st = FromC(def->create(op->plugin_state, g, node, &kernel->state));
    } catch (...) {
      st = absl::InternalError("an exception escaped the plugin");
    }
    if (!st.ok()) {
      return ToC(absl::Status(st.code(), absl::StrCat(kernel->label, ": ", st.message())));
    }
  }
  *out_kernel = kernel.release();
  return nullptr;
}

infer_status* CustomKernelCompute(const infer_custom_kernel* kernel, infer_kernel_context* ctx) {
  if (kernel == nullptr || ctx == nullptr) {
    return MakeCStatus(INFER_INVALID_ARGUMENT, "custom_kernel_compute: kernel or ctx is NULL");
  }
  absl::Status st;
  try {
    st = FromC(kernel->def->compute(kernel->plugin_state, kernel->state, ctx));
  } catch (...) {
    st = absl::InternalError("an exception escaped the plugin");
  }
  if (st.ok()) return nullptr;
  return ToC(absl::Status(st.code(), absl::StrCat(kernel->label, ": ", st.message())));
}

void CustomKernelRelease(infer_custom_kernel* kernel) {
  if (kernel == nullptr) return;
  if (kernel->def->release != nullptr) kernel->def->release(kernel->plugin_state, kernel->state);
  delete kernel;
}

}  // namespace infer::core
