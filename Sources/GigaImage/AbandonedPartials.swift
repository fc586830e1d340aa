import Foundation

extension ImageWriter {
    /// Deletes the temporary files (`.NAME.partial-XXXXXX`) that writers of `path` left behind
    /// when they were killed before they could clean up, and returns their paths. A temporary
    /// file is abandoned when nobody holds its lock: every writer locks its own until it is
    /// renamed or removed, so a file another process is still writing is never touched.
    public static func removeAbandonedPartials(beside path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let prefix = ".\(url.lastPathComponent).partial-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) && name.count == prefix.count + 6 {
            let partial = directory + "/" + name
            let fd = open(partial, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            if unlink(partial) == 0 { removed.append(partial) }
        }
        return removed.sorted()
    }
}
