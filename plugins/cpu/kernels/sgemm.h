// Packed, cache-blocked float GEMM (GotoBLAS/BLIS style) with register-tiled micro-kernels
// for AVX-512, AVX2+FMA and a portable fallback, picked at run time. Work is split over the
// intra-op pool (kernels/parallel.h).
#ifndef INFER_PLUGINS_CPU_KERNELS_SGEMM_H_
#define INFER_PLUGINS_CPU_KERNELS_SGEMM_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace infer::cpu {

// The micro-kernel family; kBest is the widest one this CPU runs.
enum class SgemmIsa { kBest, kPortable, kAvx2, kAvx512 };
// The family kBest resolves to here.
SgemmIsa sgemm_best_isa();
bool sgemm_isa_supported(SgemmIsa isa);
const char* sgemm_isa_name(SgemmIsa isa);

// op(b) [k, n] packed once (for a constant weight) into the micro-kernel's column panels.
class PackedB {
 public:
  PackedB() = default;
  int64_t k() const { return k_; }
  int64_t n() const { return n_; }
  SgemmIsa isa() const { return isa_; }
  const float* data() const { return data_.get(); }

 private:
  friend PackedB sgemm_pack_b(bool, int64_t, int64_t, const float*, int64_t, SgemmIsa);
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  int64_t k_ = 0, n_ = 0;
  SgemmIsa isa_ = SgemmIsa::kPortable;
  std::unique_ptr<float[], Free> data_;
};

// c[m, n] = alpha * op(a) * op(b) + beta * c + bias, row-major with leading dimensions
// lda/ldb/ldc; beta == 0 overwrites c (even NaN). bias (n values, added to every row) may be
// null.
void sgemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
           int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc,
           const float* bias = nullptr, SgemmIsa isa = SgemmIsa::kBest);

PackedB sgemm_pack_b(bool trans_b, int64_t k, int64_t n, const float* b, int64_t ldb,
                     SgemmIsa isa = SgemmIsa::kBest);
// sgemm with op(b) from sgemm_pack_b (whose isa it runs with).
void sgemm_packed(bool trans_a, int64_t m, float alpha, const float* a, int64_t lda,
                  const PackedB& b, float beta, float* c, int64_t ldc, const float* bias = nullptr);

}  // namespace infer::cpu

#endif  // INFER_PLUGINS_CPU_KERNELS_SGEMM_H_
