#include "kernels/batch_norm.h"

#include "reference.h"

namespace infer::cpu::test {
namespace {

TEST(BatchNorm, MatchesReference) {
  std::mt19937 rng(9);
  for (const Dims& shape : {Dims{2, 3, 4, 5}, Dims{2, 3}, Dims{1, 4, 3}}) {
    SCOPED_TRACE(dims_str(shape));
    const Dims c{shape[1]};
    const TTensor x = random_tensor(shape, rng), scale = random_tensor(c, rng),
                  bias = random_tensor(c, rng), mean = random_tensor(c, rng),
                  var = random_tensor(c, rng, 0.1f, 2.0f);
    check_batch_norm_shapes(shape, c, c, c, c);
    std::vector<float> y(x.data.size());
    batch_norm(x.data.data(), shape, scale.data.data(), bias.data.data(), mean.data.data(),
               var.data.data(), 1e-3f, y.data());
    expect_close(y, ref::batch_norm(x, scale, bias, mean, var, 1e-3f).data);
  }
}

TEST(BatchNorm, RejectsBadShapes) {
  const Dims x{2, 3, 4}, c{3}, bad{4}, x1{3};
  expect_error([&] { check_batch_norm_shapes(x, c, c, bad, c); }, INFER_INVALID_ARGUMENT,
               "input_mean");
  expect_error([&] { check_batch_norm_shapes(x1, c, c, c, c); }, INFER_INVALID_ARGUMENT,
               "rank >= 2");
}

}  // namespace
}  // namespace infer::cpu::test
