#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's identity: device and inode, whatever path, link or `..` leads to it.
struct FileKey: Hashable {
    let device: UInt64
    let inode: UInt64
}

/// Whether two paths name the same file (same device and inode), so an output is never written
/// over its own input, whatever spelling, link or `..` the paths use.
enum FileIdentity {
    static func same(_ a: String, _ b: String) -> Bool {
        guard let ka = key(a), let kb = key(b) else { return false }
        return ka == kb
    }

    /// The identity of the file `path` leads to (links followed), or nil if there is none.
    static func key(_ path: String) -> FileKey? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileKey(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
