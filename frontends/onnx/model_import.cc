#include "model_import.h"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/onnx_pb.h>

#include <climits>
#include <set>
#include <string>

#include "graph_import.h"
#include "host_check.h"

namespace infer::onnx_fe {
namespace {

const char kInvalid[] = "not a valid ONNX model: ";

void ParseModel(const void* bytes, size_t len, onnx::ModelProto& model) {
  if (len == 0) Fail(INFER_INVALID_MODEL, std::string(kInvalid) + "empty input");
  if (bytes == nullptr) Fail(INFER_INVALID_ARGUMENT, "load: bytes is NULL but len is not 0");
  // Protobuf cannot address more than INT_MAX bytes; larger models keep
  // their weights in external data files.
  if (len > static_cast<size_t>(INT_MAX)) {
    Fail(INFER_INVALID_MODEL, std::string(kInvalid) + "larger than 2 GiB (" + std::to_string(len) +
                                  " bytes); store the weights as external data");
  }
  google::protobuf::io::CodedInputStream in(static_cast<const uint8_t*>(bytes),
                                            static_cast<int>(len));
  // The default limit is lower on some protobuf versions; allow the full 2 GiB.
  in.SetTotalBytesLimit(INT_MAX);
  if (!model.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage()) {
    Fail(INFER_INVALID_MODEL,
         std::string(kInvalid) + "the protobuf data is truncated or malformed");
  }
  // Arbitrary bytes sometimes parse as a protobuf with unknown fields; a
  // real model has both of these.
  if (model.ir_version() <= 0) {
    Fail(INFER_INVALID_MODEL, std::string(kInvalid) + "ir_version is " +
                                  std::to_string(model.ir_version()) + " (must be > 0)");
  }
  if (!model.has_graph()) Fail(INFER_INVALID_MODEL, std::string(kInvalid) + "it has no graph");
}

void ImportOpsets(const infer_host_api* host, const onnx::ModelProto& model, infer_graph* g) {
  std::set<std::string> seen;
  for (const auto& opset : model.opset_import()) {
    // The ONNX default domain is spelled "" in files; name it explicitly.
    const std::string domain = opset.domain().empty() ? "ai.onnx" : opset.domain();
    const std::string what = "opset_import for domain " + Quote(domain);
    if (!seen.insert(domain).second) Fail(INFER_INVALID_MODEL, what + " is listed twice");
    if (opset.version() <= 0) {
      Fail(INFER_INVALID_MODEL, what + " has invalid version " + std::to_string(opset.version()));
    }
    Check(host, host->graph_set_opset(g, domain.c_str(), opset.version()), "setting " + what);
  }
  if (seen.empty()) {
    // Before IR 3 models had no opset_import and meant ai.onnx version 1.
    if (model.ir_version() >= 3) {
      Fail(INFER_INVALID_MODEL, "the model imports no opset (opset_import is empty)");
    }
    Check(host, host->graph_set_opset(g, "ai.onnx", 1), "setting the default opset");
  }
}

void ImportMetadata(const infer_host_api* host, const onnx::ModelProto& model, infer_graph* g) {
  auto set = [&](const std::string& key, const std::string& value) {
    Check(host, host->graph_set_metadata(g, key.c_str(), value.c_str()),
          "setting metadata " + Quote(key));
  };
  static const std::set<std::string> kReserved = {"ir_version", "producer_name", "producer_version",
                                                  "domain",     "model_version", "graph_name",
                                                  "doc_string"};
  set("ir_version", std::to_string(model.ir_version()));
  if (!model.producer_name().empty()) set("producer_name", model.producer_name());
  if (!model.producer_version().empty()) set("producer_version", model.producer_version());
  if (!model.domain().empty()) set("domain", model.domain());
  if (model.has_model_version()) set("model_version", std::to_string(model.model_version()));
  if (!model.graph().name().empty()) set("graph_name", model.graph().name());
  if (!model.doc_string().empty()) set("doc_string", model.doc_string());
  // User metadata_props keep their keys, except ones that would shadow the
  // fields above.
  for (const auto& prop : model.metadata_props()) {
    if (prop.key().empty()) continue;
    if (kReserved.count(prop.key()) > 0) {
      Log(host, INFER_LOG_WARN,
          "metadata_props key " + Quote(prop.key()) +
              " is ignored: it would shadow the model's own field");
      continue;
    }
    set(prop.key(), prop.value());
  }
}

}  // namespace

void LoadModel(const infer_host_api* host, const void* bytes, size_t len, const char* model_dir,
               infer_graph* g) {
  if (g == nullptr) Fail(INFER_INVALID_ARGUMENT, "load: graph is NULL");
  onnx::ModelProto model;
  ParseModel(bytes, len, model);

  ImportContext ctx;
  ctx.host = host;
  ctx.model_dir = model_dir;
  for (const auto& fn : model.functions()) ctx.local_functions.emplace(fn.domain(), fn.name());

  ImportOpsets(host, model, g);
  ImportMetadata(host, model, g);
  ImportGraph(ctx, model.graph(), g);
  if (model.training_info_size() > 0) {
    Log(host, INFER_LOG_INFO, "training_info is ignored: inference only");
  }
}

bool LooksLikeModel(const void* head, size_t len) {
  if (head == nullptr || len == 0) return false;
  // Tag bytes of ModelProto fields 1-8 and 14 with their wire types;
  // exporters write ir_version (0x08) first.
  switch (static_cast<const uint8_t*>(head)[0]) {
    case 0x08:  // ir_version
    case 0x12:  // producer_name
    case 0x1a:  // producer_version
    case 0x22:  // domain
    case 0x28:  // model_version
    case 0x32:  // doc_string
    case 0x3a:  // graph
    case 0x42:  // opset_import
    case 0x72:  // metadata_props
      return true;
    default:
      return false;
  }
}

}  // namespace infer::onnx_fe
