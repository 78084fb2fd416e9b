#include <gtest/gtest.h>

#include "api/status.h"
#include "plugin/abi_objects.h"

namespace infer::core {
namespace {

const infer_host_api* H() { return HostApi(); }

TEST(HostApi, AnnouncesItsVersionAndSize) {
  EXPECT_EQ(H()->struct_size, sizeof(infer_host_api));
  EXPECT_EQ(H()->abi_major, static_cast<uint32_t>(INFER_PLUGIN_ABI_MAJOR));
}

TEST(HostApi, StatusRoundTrip) {
  infer_status* st = H()->status_create(INFER_INVALID_MODEL, "broken");
  ASSERT_NE(st, nullptr);
  EXPECT_EQ(H()->status_code(st), INFER_INVALID_MODEL);
  EXPECT_STREQ(H()->status_message(st), "broken");
  absl::Status back = FromC(st);  // takes ownership
  EXPECT_EQ(back.message(), "broken");
}

TEST(HostApi, BuildsAndReadsAGraph) {
  Graph g;
  infer_graph* cg = AsC(g);
  const int64_t dims[] = {INFER_DIM_DYNAMIC, 4};
  const char* syms[] = {"batch", nullptr};
  size_t x = 0, y = 0, w = 0, node = 0;
  ASSERT_EQ(H()->graph_add_value(cg, "x", INFER_DTYPE_FLOAT32, 2, dims, syms, &x), nullptr);
  ASSERT_EQ(H()->graph_add_value(cg, "y", INFER_DTYPE_UNDEFINED, INFER_RANK_UNKNOWN, nullptr,
                                 nullptr, &y),
            nullptr);
  const float wdata[4] = {1, 2, 3, 4};
  const int64_t wshape[] = {4};
  ASSERT_EQ(
      H()->graph_add_initializer(cg, "w", INFER_DTYPE_FLOAT32, 1, wshape, wdata, sizeof(wdata), &w),
      nullptr);
  const size_t ins[] = {x, w};
  ASSERT_EQ(H()->graph_add_node(cg, "Add", "ai.onnx", "add0", ins, 2, &y, 1, &node), nullptr);
  const int64_t axes[] = {0, 1};
  ASSERT_EQ(H()->node_set_attr_ints(cg, node, "axes", axes, 2), nullptr);
  const char* names[] = {"a", "bc"};
  ASSERT_EQ(H()->node_set_attr_strings(cg, node, "names", names, 2), nullptr);

  EXPECT_STREQ(H()->node_domain(cg, node), "");  // ai.onnx normalised
  infer_attr_view view{};
  ASSERT_EQ(H()->node_attr(cg, node, "axes", &view), 1);
  EXPECT_EQ(view.type, INFER_ATTR_INTS);
  EXPECT_EQ(view.count, 2u);
  EXPECT_EQ(view.ints[1], 1);
  ASSERT_EQ(H()->node_attr(cg, node, "names", &view), 1);
  EXPECT_STREQ(view.strings[1], "bc");
  EXPECT_EQ(H()->node_attr(cg, node, "missing", &view), 0);

  infer_value_info info{};
  info.struct_size = sizeof(info);
  ASSERT_EQ(H()->value_info(cg, x, &info), nullptr);
  EXPECT_EQ(info.rank, 2u);
  EXPECT_EQ(info.dims[0], INFER_DIM_DYNAMIC);
  EXPECT_STREQ(info.dim_symbols[0], "batch");
  ASSERT_EQ(H()->value_info(cg, w, &info), nullptr);
  EXPECT_EQ(info.is_constant, 1);
  EXPECT_EQ(static_cast<const float*>(info.constant.data)[3], 4.0f);
}

TEST(HostApi, RejectsBadArguments) {
  Graph g;
  infer_graph* cg = AsC(g);
  size_t v = 0;
  const float data[2] = {};
  const int64_t shape[] = {3};  // needs 12 bytes, given 8
  absl::Status st = FromC(
      H()->graph_add_initializer(cg, "w", INFER_DTYPE_FLOAT32, 1, shape, data, sizeof(data), &v));
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'w'"), std::string::npos) << st;

  infer_value_info info{};
  info.struct_size = 8;  // too small for this host
  EXPECT_FALSE(FromC(H()->value_info(cg, 0, &info)).ok());
  info.struct_size = sizeof(info);
  EXPECT_FALSE(FromC(H()->value_info(cg, 99, &info)).ok());
  EXPECT_STREQ(H()->node_op_type(cg, 7), "");  // bad ids read as empty, never crash

  infer_run_context ctx;
  ctx.outputs.resize(1);
  void* out = nullptr;
  const int64_t dims[] = {2};
  EXPECT_FALSE(FromC(H()->run_allocate_output(&ctx, 1, INFER_DTYPE_FLOAT32, 1, dims, &out)).ok());
  EXPECT_TRUE(FromC(H()->run_allocate_output(&ctx, 0, INFER_DTYPE_FLOAT32, 1, dims, &out)).ok());
  EXPECT_NE(out, nullptr);
}

}  // namespace
}  // namespace infer::core
