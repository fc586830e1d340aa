import GigaEngine

/// Process-wide malloc settings for running models tile after tile (see the engine's
/// `HeapTuning`): freed activations stay in the heap for the next tile instead of going back to
/// the kernel, which otherwise costs up to a third of a tile's time. It changes malloc for the
/// whole process, so the library never calls it by itself; a program that runs many tiles should.
public enum HeapSettings {
    /// Serves blocks up to 32 MB from the heap and keeps freed heap; false where the C library
    /// does not support it (then nothing changes).
    @discardableResult
    public static func retainFreedMemory() -> Bool { HeapTuning.retainFreedMemory() }
}
