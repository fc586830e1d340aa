import CKernels

/// One tensor's Winograd input transform, kept for the whole image so that every bf16 Winograd
/// convolution reading that tensor after the first skips transforming it again (a dense block
/// reads each piece in up to four convolutions). The first run that is handed the cache fills
/// it; the caller owns the pairing of a cache with one tensor and must not reuse it for another.
public final class WinogradInputCache {
    private let pool: WinogradCachePool
    private var buffer: UnsafeMutableBufferPointer<UInt16>?
    private var shape: (height: Int, width: Int, channels: Int) = (0, 0, 0)
    /// Whether the transform of the tensor has been written.
    private(set) var isReady = false

    /// A cache whose memory comes from, and goes back to, `pool`.
    public init(pool: WinogradCachePool) { self.pool = pool }

    deinit { if let buffer { pool.giveBack(buffer) } }

    /// The buffer for a `height`×`width` image of `channels`, taken from the pool (and the cache
    /// emptied) when the shape differs from the last call's.
    func storage(height: Int, width: Int, channels: Int) -> UnsafeMutablePointer<UInt16> {
        if let buffer, shape == (height, width, channels) { return buffer.baseAddress! }
        if let buffer { pool.giveBack(buffer) }
        let fresh = pool.take(count: gs_wino_f2x3_input_transform_count(Int64(height), Int64(width), Int64(channels)))
        buffer = fresh
        shape = (height, width, channels)
        isReady = false
        return fresh.baseAddress!
    }

    /// Records that a run has written the transform.
    func markReady() { isReady = true }

    /// Whether caches can serve a convolution over `inputs`: one image, at most the kernel's
    /// number of kept inputs, every input's channels a multiple of 16.
    static func canServe(_ inputs: [Tensor]) -> Bool {
        inputs.count <= Int(GS_WINO_MAX_KEPT_INPUTS) && inputs.allSatisfy { $0.batch == 1 && $0.channels % 16 == 0 }
    }
}

/// Buffers of `WinogradInputCache`s that have been released, kept for the next caches of the
/// same size: a net run allocates and drops caches of the same few sizes over and over, and
/// fresh memory costs a page fault (and the kernel zeroing the page) per 4 KB on first touch.
/// One pool serves one thread.
public final class WinogradCachePool {
    private var free: [Int: [UnsafeMutableBufferPointer<UInt16>]] = [:]

    public init() {}

    deinit { free.values.joined().forEach { $0.deallocate() } }

    func take(count: Int) -> UnsafeMutableBufferPointer<UInt16> {
        free[count]?.popLast() ?? .allocate(capacity: count)
    }

    func giveBack(_ buffer: UnsafeMutableBufferPointer<UInt16>) { free[buffer.count, default: []].append(buffer) }

    /// Returns every kept buffer to the system.
    public func drain() {
        free.values.joined().forEach { $0.deallocate() }
        free = [:]
    }
}
