// OpenBLAS from Debian's libopenblas-dev. The header declares openblas_set_num_threads,
// which noether uses to pin BLAS to one thread (deterministic results, a free core for the UI).
#include <cblas.h>
