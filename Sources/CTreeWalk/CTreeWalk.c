// The SIMD tree walk of ScoringProgram (Boosting), in C because Swift lowers SIMD comparisons
// and integer lane masks lane by lane. Exact: a lane's leaf is the one the scalar walk reaches
// (the same `x >= threshold` test on the same floats), so margins do not change.
#include "CTreeWalk.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

// Four rows per SSE2 register; two registers per step (8 rows).
void cascade_walk_dense_sse2(int depth, const int32_t *feature, const float *threshold, const float *rows, int shift, int m,
                      int32_t *leaves) {
  const __m128i one = _mm_set1_epi32(1), offset = _mm_set1_epi32((1 << depth) - 1);
  for (int i = 0; i < m; i += 8) {
    __m128i k0 = _mm_setzero_si128(), k1 = _mm_setzero_si128();
    int first = 0;
    for (int level = 0; level < depth; level++) {
      int width = 1 << level;
      __m128i r0 = _mm_setzero_si128(), r1 = _mm_setzero_si128();
      for (int j = 0; j < width; j++) {
        int node = first + j;
        const float *x = rows + ((intptr_t)feature[node] << shift) + i;
        __m128 t = _mm_set1_ps(threshold[node]);
        __m128i g0 = _mm_castps_si128(_mm_cmpge_ps(_mm_loadu_ps(x), t));
        __m128i g1 = _mm_castps_si128(_mm_cmpge_ps(_mm_loadu_ps(x + 4), t));
        if (level > 0) {
          __m128i n = _mm_set1_epi32(node);
          g0 = _mm_and_si128(g0, _mm_cmpeq_epi32(k0, n));
          g1 = _mm_and_si128(g1, _mm_cmpeq_epi32(k1, n));
        }
        r0 = _mm_or_si128(r0, g0);
        r1 = _mm_or_si128(r1, g1);
      }
      // k = 2k + 1 + right (right lanes are all ones = −1).
      k0 = _mm_sub_epi32(_mm_add_epi32(_mm_slli_epi32(k0, 1), one), r0);
      k1 = _mm_sub_epi32(_mm_add_epi32(_mm_slli_epi32(k1, 1), one), r1);
      first += width;
    }
    _mm_storeu_si128((__m128i *)(leaves + i), _mm_sub_epi32(k0, offset));
    _mm_storeu_si128((__m128i *)(leaves + i + 4), _mm_sub_epi32(k1, offset));
  }
}

// Eight rows per AVX2 register.
__attribute__((target("avx2"))) static void walk_avx2(int depth, const int32_t *feature, const float *threshold,
                                                      const float *rows, int shift, int m, int32_t *leaves) {
  const __m256i one = _mm256_set1_epi32(1), offset = _mm256_set1_epi32((1 << depth) - 1);
  for (int i = 0; i < m; i += 8) {
    __m256i k = _mm256_setzero_si256();
    int first = 0;
    for (int level = 0; level < depth; level++) {
      int width = 1 << level;
      __m256i r = _mm256_setzero_si256();
      for (int j = 0; j < width; j++) {
        int node = first + j;
        __m256 x = _mm256_loadu_ps(rows + ((intptr_t)feature[node] << shift) + i);
        __m256i g = _mm256_castps_si256(_mm256_cmp_ps(x, _mm256_set1_ps(threshold[node]), _CMP_GE_OQ));
        if (level > 0) g = _mm256_and_si256(g, _mm256_cmpeq_epi32(k, _mm256_set1_epi32(node)));
        r = _mm256_or_si256(r, g);
      }
      k = _mm256_sub_epi32(_mm256_add_epi32(_mm256_slli_epi32(k, 1), one), r);
      first += width;
    }
    _mm256_storeu_si256((__m256i *)(leaves + i), _mm256_sub_epi32(k, offset));
  }
}

void cascade_walk_dense(int depth, const int32_t *feature, const float *threshold, const float *rows, int shift, int m,
                        int32_t *leaves) {
  // Reads the CPU model the runtime records at start-up: cheap, and free of shared state.
  if (__builtin_cpu_supports("avx2")) walk_avx2(depth, feature, threshold, rows, shift, m, leaves);
  else cascade_walk_dense_sse2(depth, feature, threshold, rows, shift, m, leaves);
}

#else
void cascade_walk_dense(int depth, const int32_t *feature, const float *threshold, const float *rows, int shift, int m,
                        int32_t *leaves) {
  cascade_walk_dense_scalar(depth, feature, threshold, rows, shift, m, leaves);
}
void cascade_walk_dense_sse2(int depth, const int32_t *feature, const float *threshold, const float *rows, int shift,
                             int m, int32_t *leaves) {
  cascade_walk_dense_scalar(depth, feature, threshold, rows, shift, m, leaves);
}
#endif

void cascade_walk_dense_scalar(int depth, const int32_t *feature, const float *threshold, const float *rows, int shift,
                               int m, int32_t *leaves) {
  for (int i = 0; i < m; i++) {
    int k = 0;
    for (int level = 0; level < depth; level++) k = 2 * k + 1 + (rows[((intptr_t)feature[k] << shift) + i] >= threshold[k]);
    leaves[i] = k - ((1 << depth) - 1);
  }
}
