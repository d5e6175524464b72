// Whether this processor runs code built for `-target-cpu haswell` (AVX2, FMA, BMI1/2, F16C,
// MOVBE, LZCNT), which the numeric core is built for on x86-64. Always 1 elsewhere.
int noether_cpu_supported(void);
