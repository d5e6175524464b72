/// Four doubles at a time from raw memory, at any alignment: the hand-vectorized loops read and
/// write their buffers through these.
extension UnsafePointer where Pointee == Double {
    @inline(__always) func lanes(_ i: Int) -> SIMD4<Double> {
        UnsafeRawPointer(self + i).loadUnaligned(as: SIMD4<Double>.self)
    }
}

extension UnsafeMutablePointer where Pointee == Double {
    @inline(__always) func lanes(_ i: Int) -> SIMD4<Double> {
        UnsafeRawPointer(self + i).loadUnaligned(as: SIMD4<Double>.self)
    }

    @inline(__always) func setLanes(_ i: Int, _ x: SIMD4<Double>) {
        UnsafeMutableRawPointer(self + i).storeBytes(of: x, as: SIMD4<Double>.self)
    }
}
