import CDNNLShim

/// Process-wide malloc settings for running the generator tile after tile.
///
/// Every tile allocates and frees the same large activations (up to 21 MB at the 512 px
/// stage). With glibc's defaults those are handed back to the kernel and faulted in again, page
/// by page, on the next tile: a third of a tile's time on the machine we measured (see
/// `gigascale-bench layers`). After `retainFreedMemory()`, blocks up to 32 MB come from the heap,
/// and freed memory stays there for the next tile; the process keeps its high-water mark.
///
/// This changes malloc for the whole process, so the library never calls it by itself: the
/// `gigascale` and `gigascale-bench` executables do, and an application that runs many tiles
/// should too.
public enum HeapTuning {
    /// Serves blocks up to 32 MB from the heap and stops returning freed heap to the kernel.
    /// Returns false where the C library does not support it (then nothing changes).
    @discardableResult
    public static func retainFreedMemory() -> Bool {
        // 32 MB is glibc's ceiling for M_MMAP_THRESHOLD on 64-bit systems.
        gs_retain_freed_memory(32 << 20, 64 << 20) == 1
    }
}
