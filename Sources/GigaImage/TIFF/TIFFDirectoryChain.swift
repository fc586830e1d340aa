import Foundation

/// The chain of image file directories (pages) of a TIFF, walked over the raw bytes without
/// libtiff, so that counting pages is cheap and bounded whatever the file says: the walk stops
/// at the end of the chain, at a directory outside the data, at one already visited (a loop)
/// or after `limit` directories.
struct TIFFDirectoryChain {
    /// Directories found before the walk stopped (at least 1 when the first one is readable).
    private(set) var count = 0
    /// The chain points back to a directory it already visited.
    private(set) var loops = false
    /// The walk gave up after `limit` directories.
    private(set) var hitLimit = false
    /// The first directory lies outside the data (or the header is cut short).
    private(set) var firstDirectoryMissing = false
    /// Where the header says the first directory is.
    private(set) var firstDirectoryOffset: UInt64 = 0

    init<Bytes: RandomAccessCollection>(_ bytes: Bytes, limit: Int = 4096) where Bytes.Element == UInt8, Bytes.Index == Int {
        let base = bytes.startIndex, size = UInt64(bytes.count)
        guard size >= 8 else { firstDirectoryMissing = true; return }
        let bigEndian = bytes[base] == 0x4D

        func read(_ offset: UInt64, _ width: Int) -> UInt64? {
            guard offset <= size, UInt64(width) <= size - offset else { return nil }
            var value: UInt64 = 0
            for i in 0..<width {
                let byte = UInt64(bytes[base + Int(offset) + (bigEndian ? i : width - 1 - i)])
                value = value << 8 | byte
            }
            return value
        }

        guard let version = read(2, 2) else { firstDirectoryMissing = true; return }
        let big = version == 43
        let countWidth = big ? 8 : 2, entryWidth: UInt64 = big ? 20 : 12, offsetWidth = big ? 8 : 4
        guard let first = big ? read(8, 8) : read(4, 4) else { firstDirectoryMissing = true; return }
        firstDirectoryOffset = first

        var visited = Set<UInt64>()
        var offset = first
        while offset != 0 {
            if visited.contains(offset) { loops = true; break }
            if count >= limit { hitLimit = true; break }
            guard let entries = read(offset, countWidth), entries <= size / entryWidth else { break }
            visited.insert(offset)
            count += 1
            let nextAt = offset + UInt64(countWidth) + entries * entryWidth
            guard let next = read(nextAt, offsetWidth) else { break }
            offset = next
        }
        if count == 0 && !loops { firstDirectoryMissing = first >= size }
    }
}
