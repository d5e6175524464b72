#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Thin names for libm so the numeric files need no platform conditionals.
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { sin(x) }
@inline(__always) func _tanh(_ x: Double) -> Double { tanh(x) }
@inline(__always) func _atan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }

extension Double {
    /// The value with anything below the normal range (|x| < 2.2e-308) written as exactly 0:
    /// recursions that decay to zero end in subnormals, which carry no information and print
    /// as noise such as 1.5e-323. Exports and the explorer both show numbers through this.
    public var flushingSubnormal: Double { Swift.abs(self) < .leastNormalMagnitude ? 0 : self }
}
