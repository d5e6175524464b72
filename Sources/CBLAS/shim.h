// OpenBLAS from Debian's libopenblas-dev. The header declares openblas_set_num_threads,
// which noether uses to pin BLAS to one thread (deterministic results, a free core for the UI).
#include <cblas.h>

// A copy whose stores bypass the cache (x86-64: non-temporal stores), for data written now and
// read much later, such as a convolution's unfolded input kept for the weight gradient: the
// cache is not filled with it, and its lines are not first read from memory to be overwritten.
// Elsewhere, a plain copy.
static inline void noether_stream_copy(double *to, const double *from, long n) {
#if defined(__x86_64__) && defined(__SSE2__)
    typedef double pair __attribute__((ext_vector_type(2), aligned(16)));
    long i = 0;
    if (((unsigned long)to & 15) != 0 && n > 0) { to[0] = from[0]; i = 1; }
    for (; i + 2 <= n; i += 2) {
        pair v = {from[i], from[i + 1]};
        __builtin_nontemporal_store(v, (pair *)(to + i));
    }
    for (; i < n; i++) to[i] = from[i];
#else
    for (long i = 0; i < n; i++) to[i] = from[i];
#endif
}

// Orders the non-temporal stores before any later store (needed only between threads).
static inline void noether_stream_fence(void) {
#if defined(__x86_64__) && defined(__SSE2__)
    __builtin_ia32_sfence();
#endif
}
