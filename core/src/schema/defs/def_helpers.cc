#include "schema/defs/def_helpers.h"

#include "schema/shape_helpers.h"

namespace infer::core::defs {

std::vector<OpSchema> SameShapeUnarySchemas(std::string_view op, std::string_view input,
                                            std::string_view output, std::string_view doc,
                                            std::initializer_list<Since> versions,
                                            std::string_view type_name) {
  std::vector<OpSchema> out;
  for (const Since& v : versions) {
    out.push_back({.op_type = std::string(op),
                   .since_version = v.version,
                   .doc = std::string(doc),
                   .inputs = {In(std::string(input), std::string(type_name))},
                   .outputs = {Out(std::string(output), std::string(type_name))},
                   .type_constraints = {Types(std::string(type_name), v.types)},
                   .infer = SameShapeAsInput});
  }
  return out;
}

}  // namespace infer::core::defs
