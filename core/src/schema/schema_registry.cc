#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "schema/defs/builtin_defs.h"
#include "schema/op_schema.h"
#include "spdlog/spdlog.h"

namespace infer::core {
namespace {

std::string Key(std::string_view domain, std::string_view op_type) {
  std::string key = NormalizeDomain(domain);
  key.push_back('\0');
  key.append(op_type);
  return key;
}

// ONNX spells fixed parameter types as "tensor(int64)".
std::optional<infer_dtype> ParseTensorType(std::string_view s) {
  static constexpr std::pair<std::string_view, infer_dtype> kNames[] = {
      {"tensor(float)", INFER_DTYPE_FLOAT32},  {"tensor(float16)", INFER_DTYPE_FLOAT16},
      {"tensor(double)", INFER_DTYPE_FLOAT64}, {"tensor(bfloat16)", INFER_DTYPE_BFLOAT16},
      {"tensor(int8)", INFER_DTYPE_INT8},      {"tensor(int16)", INFER_DTYPE_INT16},
      {"tensor(int32)", INFER_DTYPE_INT32},    {"tensor(int64)", INFER_DTYPE_INT64},
      {"tensor(uint8)", INFER_DTYPE_UINT8},    {"tensor(uint16)", INFER_DTYPE_UINT16},
      {"tensor(uint32)", INFER_DTYPE_UINT32},  {"tensor(uint64)", INFER_DTYPE_UINT64},
      {"tensor(bool)", INFER_DTYPE_BOOL},      {"tensor(string)", INFER_DTYPE_STRING},
  };
  for (const auto& [name, dtype] : kNames) {
    if (name == s) return dtype;
  }
  return std::nullopt;
}

// Checks one list of formal parameters; a fixed type ("tensor(int64)") gets a
// constraint of its own name so that later checks treat all parameters alike.
absl::Status CheckParameters(OpSchema& schema, std::vector<FormalParameter>& params,
                             const char* what) {
  for (size_t i = 0; i < params.size(); ++i) {
    const FormalParameter& p = params[i];
    if (p.kind == FormalParameter::Kind::kVariadic && i + 1 != params.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " '", p.name, "' is variadic but not the last one"));
    }
    auto& constraints = schema.type_constraints;
    const bool known =
        std::any_of(constraints.begin(), constraints.end(),
                    [&](const TypeConstraint& c) { return c.name == p.type_constraint; });
    if (known) continue;
    std::optional<infer_dtype> fixed = ParseTensorType(p.type_constraint);
    if (!fixed) {
      return absl::InvalidArgumentError(absl::StrCat(what, " '", p.name, "' has type '",
                                                     p.type_constraint,
                                                     "', which is neither a constraint nor a "
                                                     "tensor type"));
    }
    constraints.push_back({p.type_constraint, {*fixed}});
  }
  return absl::OkStatus();
}

absl::Status CheckSchema(OpSchema& schema) {
  if (schema.op_type.empty()) return absl::InvalidArgumentError("a schema needs an op type");
  if (schema.since_version < 1) {
    return absl::InvalidArgumentError(absl::StrCat(schema.op_type, ": since_version must be >= 1"));
  }
  absl::flat_hash_set<std::string> names;
  for (const TypeConstraint& c : schema.type_constraints) {
    if (!names.insert(c.name).second || c.allowed.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(schema.op_type, ": type constraint '", c.name,
                                                     "' is duplicated or allows nothing"));
    }
  }
  names.clear();
  for (const AttributeSpec& a : schema.attributes) {
    if (!names.insert(a.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(schema.op_type, ": attribute '", a.name, "' is declared twice"));
    }
  }
  if (absl::Status s = CheckParameters(schema, schema.inputs, "input"); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(schema.op_type, ": ", s.message()));
  }
  if (absl::Status s = CheckParameters(schema, schema.outputs, "output"); !s.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(schema.op_type, ": ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

std::string SchemaName(const OpSchema& schema) {
  return absl::StrCat(schema.domain, schema.domain.empty() ? "" : ".", schema.op_type, "-",
                      schema.since_version);
}

SchemaRegistry SchemaRegistry::WithBuiltins() {
  SchemaRegistry registry;
  for (defs::SchemaFamilyFn family : defs::kBuiltinFamilies) {
    for (OpSchema& schema : family()) {
      // Only a bug in defs/ can trip this; the schema tests register every
      // family and fail on it.
      if (absl::Status s = registry.Register(std::move(schema)); !s.ok()) {
        spdlog::error("built-in operator schema rejected: {}", std::string(s.message()));
      }
    }
  }
  return registry;
}

absl::Status SchemaRegistry::Register(OpSchema schema) {
  schema.domain = NormalizeDomain(schema.domain);
  if (absl::Status s = CheckSchema(schema); !s.ok()) return s;
  std::vector<OpSchema>& versions = schemas_[Key(schema.domain, schema.op_type)];
  auto it =
      std::lower_bound(versions.begin(), versions.end(), schema.since_version,
                       [](const OpSchema& s, int64_t since) { return s.since_version < since; });
  if (it != versions.end() && it->since_version == schema.since_version) {
    return absl::AlreadyExistsError(
        absl::StrCat("schema ", SchemaName(schema), " is already registered"));
  }
  versions.insert(it, std::move(schema));
  return absl::OkStatus();
}

const OpSchema* SchemaRegistry::Find(std::string_view domain, std::string_view op_type,
                                     int64_t opset) const {
  auto found = schemas_.find(Key(domain, op_type));
  if (found == schemas_.end()) return nullptr;
  const std::vector<OpSchema>& versions = found->second;
  // First schema newer than the opset; the one before it is in force.
  auto it = std::upper_bound(versions.begin(), versions.end(), opset,
                             [](int64_t v, const OpSchema& s) { return v < s.since_version; });
  return it == versions.begin() ? nullptr : &*std::prev(it);
}

size_t SchemaRegistry::size() const {
  size_t n = 0;
  for (const auto& [key, versions] : schemas_) n += versions.size();
  return n;
}

std::vector<const OpSchema*> SchemaRegistry::AllSchemas() const {
  std::vector<const OpSchema*> all;
  for (const auto& [key, versions] : schemas_) {
    for (const OpSchema& s : versions) all.push_back(&s);
  }
  return all;
}

}  // namespace infer::core
