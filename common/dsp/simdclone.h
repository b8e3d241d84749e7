/* simdclone.h - DSP_SIMD_CLONES: compile a hot function twice, for AVX2 and for the baseline
 * x86-64 (SSE2), and pick one when the program starts (GCC's target_clones, through the ELF
 * ifunc mechanism). The AVX2 copy differs only in vector width: AVX2 without FMA fuses no
 * multiply-add, and GCC reorders no floating-point sum without -ffast-math, so both copies
 * compute bit-identical results (checked on the eGeMAPS output of real clips).
 *
 * Put it on static functions only, with the exported function a plain call to it: the
 * dispatch then stays inside one file. GCC only: Clang 14 names the dispatcher of a cloned
 * external function apart from the function (callers in other files do not link) and makes
 * a static one's resolver global (two files' clones of one name collide). Elsewhere (Clang,
 * other CPUs and object formats) the macro is empty and the baseline copy is the only one. */
#ifndef SENTIO_SIMDCLONE_H
#define SENTIO_SIMDCLONE_H

#ifndef DSP_SIMD_CLONES /* -DDSP_SIMD_CLONES= builds the baseline copy alone */
#if defined(__has_attribute)
#if __has_attribute(target_clones) && defined(__GNUC__) && !defined(__clang__) && \
    defined(__x86_64__) && defined(__ELF__) && defined(__linux__)
#define DSP_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#endif
#ifndef DSP_SIMD_CLONES
#define DSP_SIMD_CLONES
#endif

/* DSP_AVX2_KERNELS: 1 where functions may be compiled for AVX2 with
 * __attribute__((target("avx2"))) and its intrinsics, to be called when
 * __builtin_cpu_supports("avx2"); -DDSP_AVX2_KERNELS=0 leaves only the portable code. */
#ifndef DSP_AVX2_KERNELS
#if defined(__x86_64__) && defined(__GNUC__)
#define DSP_AVX2_KERNELS 1
#else
#define DSP_AVX2_KERNELS 0
#endif
#endif

/* For the static helpers of a cloned function: inlined into each copy, so that they are
 * compiled for its target too (called from two copies, they would otherwise stay single
 * baseline functions). */
#if defined(__GNUC__)
#define DSP_SIMD_INLINE inline __attribute__((always_inline))
#else
#define DSP_SIMD_INLINE inline
#endif

#endif
