#ifndef CASCADE_CTREEWALK_H
#define CASCADE_CTREEWALK_H
#include <stdint.h>

/// Leaf index (0 ..< 2^depth) of rows 0 ..< m of a perfect tree of depth ≤ 4 in heap order
/// (children of node k at 2k+1, 2k+2; go right when x >= threshold), all nodes of a level
/// compared for several rows at once in SIMD registers (AVX2 when the CPU has it, else SSE2).
/// `rows` is column-major: feature column c of the chunk starts at rows + (c << shift).
/// `feature[k]` is node k's column, `threshold[k]` its threshold. Reads and writes whole groups
/// of 8 rows: `m` rounded up to 8 must fit in the chunk buffers (rows past m are computed from
/// whatever the buffers hold and must be ignored by the caller).
void cascade_walk_dense(int depth, const int32_t *feature, const float *threshold, const float *rows, int shift,
                        int m, int32_t *leaves);

/// The SSE2 path of `cascade_walk_dense` (on other CPUs the scalar walk), callable on its own so
/// tests cover it on machines that take the AVX2 path.
void cascade_walk_dense_sse2(int depth, const int32_t *feature, const float *threshold, const float *rows, int shift,
                             int m, int32_t *leaves);

/// The same walk row by row, without SIMD: the reference of the tests.
void cascade_walk_dense_scalar(int depth, const int32_t *feature, const float *threshold, const float *rows, int shift,
                               int m, int32_t *leaves);

#endif
