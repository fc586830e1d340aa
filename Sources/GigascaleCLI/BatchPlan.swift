import Foundation
import GigaImage

/// One input to enlarge and where its output goes.
struct Job {
    /// A path, or "-" for standard input.
    let input: String
    /// What `--shard` hashes: the path inside the folder given on the command line (so every
    /// machine of an array job agrees, wherever the folder is mounted), else the argument.
    let shardKey: String
    /// The folder a templated name goes into; nil when `-o` names the output itself.
    let outputDirectory: String?
    /// The output `-o` names (a file or standard output), when it names one.
    let explicitOutput: OutputSpelling?
}

/// Everything found before any work: the jobs in order, the files skipped as non-images, the
/// folders that could not be read, and the identity of every input (none is ever overwritten).
struct BatchPlan {
    var jobs: [Job] = []
    var nonImages: [String] = []
    var skippedFolders: [String] = []
    var unreadable: [(path: String, reason: String)] = []
    var inputKeys: Set<FileKey> = []
    /// A folder or several inputs: outputs are skipped when they exist, and a summary ends the run.
    var isBatch = false
}

/// Expands the command line's inputs (files, folders, "-") into jobs and checks the output side,
/// refusing a command that cannot work before anything is read or written.
struct BatchPlanner {
    let inputs: [String]
    let output: String?
    let recursive: Bool
    /// Whether --format names the output format (else a file output's extension must name one).
    let formatGiven: Bool

    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "jpe", "tif", "tiff"]
    static let sidecarExtensions = ["txt", "caption"]

    func plan() throws -> BatchPlan {
        var plan = BatchPlan()
        let fileManager = FileManager.default
        var folders: [String] = []
        for input in inputs where input != "-" {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: input, isDirectory: &isDirectory) else {
                if Self.isMangledName(input) { throw UsageError("\(input): \(Self.mangledNameReason)") }
                throw UsageError("\(input): no such file or folder")
            }
            if isDirectory.boolValue { folders.append(input) }
        }
        if inputs.contains("-") && inputs.count > 1 {
            throw UsageError("'-' (standard input) must be the only input")
        }
        plan.isBatch = inputs.count > 1 || !folders.isEmpty

        let spelling = output.map(OutputSpelling.init)
        if let spelling, spelling.isStandardOutput, plan.isBatch {
            throw UsageError("-o \(output!): standard output takes a single image; name an output folder for several inputs")
        }
        let outputIsFolder = spelling.map { !$0.isStandardOutput && (plan.isBatch || $0.path.hasSuffix("/") || Self.isDirectory($0.path)) } ?? false
        if !folders.isEmpty && output == nil {
            throw UsageError("\(folders[0]): a folder needs -o DIR, a separate folder for the enlarged images")
        }
        if outputIsFolder, let spelling {
            if spelling.prefixFormat != nil { throw UsageError("-o \(output!): a format prefix needs a file name or '-'; use --format with a folder") }
            try Self.refuseFileNameAsFolder(spelling.path)
            try Self.checkCanHoldOutputs(spelling.path)
        } else if let spelling, !spelling.isStandardOutput {
            if !formatGiven && spelling.prefixFormat == nil { _ = try spelling.extensionFormat() }
            try Self.checkCanHoldOutputs(URL(fileURLWithPath: spelling.path).deletingLastPathComponent().path)
        }
        if output == nil {
            // Outputs go beside their inputs: each of those folders must take a new file.
            var checked: Set<String> = []
            for input in inputs {
                let folder = input == "-" ? "." : URL(fileURLWithPath: input).deletingLastPathComponent().path
                if checked.insert(folder).inserted { try Self.checkCanHoldOutputs(folder) }
            }
        }
        let excluded = outputIsFolder ? spelling.flatMap { FileIdentity.key($0.path) } : nil

        for input in inputs {
            if folders.contains(input) {
                var visited: Set<FileKey> = []
                walk(root: input, relative: "", outputRoot: OutputNaming.folder(spelling!.path), excluding: excluded, visited: &visited, into: &plan)
            } else {
                let directory: String? = outputIsFolder ? OutputNaming.folder(spelling!.path)
                    : output == nil ? (input == "-" ? "." : URL(fileURLWithPath: input).deletingLastPathComponent().path) : nil
                plan.jobs.append(Job(input: input, shardKey: input, outputDirectory: directory,
                                     explicitOutput: outputIsFolder ? nil : spelling))
            }
        }
        try Self.refuseSameFileTwice(plan.jobs)
        for job in plan.jobs where job.input != "-" {
            if let key = FileIdentity.key(job.input) { plan.inputKeys.insert(key) }
        }
        return plan
    }

    /// Adds the images under `root/relative` in name order; hidden entries are left out, and the
    /// output folder is never walked (a rerun must not enlarge its own outputs).
    private func walk(root: String, relative: String, outputRoot: String, excluding: FileKey?,
                      visited: inout Set<FileKey>, into plan: inout BatchPlan) {
        let folder = relative.isEmpty ? root : root + "/" + relative
        guard let key = FileIdentity.key(folder), !visited.contains(key), key != excluding else { return }
        visited.insert(key)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            plan.unreadable.append((folder, "cannot list the folder: \((error as NSError).localizedDescription)"))
            return
        }
        var subfolders: [String] = []
        var others: [String] = []
        var imageStems: Set<String> = []
        for name in names {
            let path = folder + "/" + name
            if Self.isMangledName(path) {
                plan.unreadable.append((path, Self.mangledNameReason))
                continue
            }
            if Self.isDirectory(path) {
                subfolders.append(name)
            } else if Self.looksLikeImage(path) {
                let entry = relative.isEmpty ? name : relative + "/" + name
                imageStems.insert(OutputNaming.stem(of: name))
                plan.jobs.append(Job(input: path, shardKey: entry,
                                     outputDirectory: relative.isEmpty ? outputRoot : outputRoot + "/" + relative,
                                     explicitOutput: nil))
            } else {
                others.append(name)
            }
        }
        for name in others {
            let url = URL(fileURLWithPath: name)
            let isSidecar = Self.sidecarExtensions.contains(url.pathExtension.lowercased())
                && imageStems.contains(url.deletingPathExtension().lastPathComponent)
            if !isSidecar { plan.nonImages.append(folder + "/" + name) }
        }
        for name in subfolders {
            if recursive {
                walk(root: root, relative: relative.isEmpty ? name : relative + "/" + name, outputRoot: outputRoot,
                     excluding: excluding, visited: &visited, into: &plan)
            } else if FileIdentity.key(folder + "/" + name) != excluding {
                plan.skippedFolders.append(folder + "/" + name)
            }
        }
    }

    /// An image by its bytes, or a file named like one (a broken photo is a failure to report,
    /// not a non-image to pass over).
    static func looksLikeImage(_ path: String) -> Bool {
        if imageExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased()) { return true }
        // Only regular files are opened: opening a FIFO would wait for a writer forever.
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return ImageFormat.sniff(head) != nil
    }

    /// Why a name that is not valid UTF-8 is refused: Swift strings carry such a name only with
    /// its bad bytes replaced (U+FFFD), and the replaced name names no file.
    static let mangledNameReason = "the file name is not valid UTF-8, and gigascale can open only UTF-8 names; rename the file"

    /// Whether `path` came from bytes that were not UTF-8: it holds U+FFFD and names nothing.
    static func isMangledName(_ path: String) -> Bool {
        var info = stat()
        return path.unicodeScalars.contains("\u{FFFD}") && lstat(path, &info) != 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Several inputs need a folder: `-o single.png` would otherwise become a folder of that
    /// name. A new name with an image extension is refused; one without (`-o big`, as `cp -r`
    /// reads it), one ending in "/" and an existing folder are folders.
    static func refuseFileNameAsFolder(_ path: String) throws {
        guard !path.hasSuffix("/"), !isDirectory(path),
              imageExtensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased()) else { return }
        throw UsageError("-o \(path): several inputs need an output folder, and this names an image file; name a folder (end it with '/' to be explicit)")
    }

    /// The same file given twice, under any spelling or as part of a folder given too.
    static func refuseSameFileTwice(_ jobs: [Job]) throws {
        var seen: [FileKey: String] = [:]
        for job in jobs where job.input != "-" {
            guard let key = FileIdentity.key(job.input) else { continue }
            if let first = seen[key] {
                throw UsageError("\(job.input) and \(first) are the same file; give each input once")
            }
            seen[key] = job.input
        }
    }

    /// Proves outputs can be made in `folder` without making it: the folder (or, when it does
    /// not exist yet, its nearest existing ancestor) must take a new file. The folder itself is
    /// made when the first output is written, so a command refused later leaves nothing behind.
    static func checkCanHoldOutputs(_ folder: String) throws {
        let folder = folder.isEmpty ? "." : folder
        if FileManager.default.fileExists(atPath: folder) && !isDirectory(folder) {
            throw UsageError("\(folder): is a file, not a folder")
        }
        var existing = URL(fileURLWithPath: folder)
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" {
            existing.deleteLastPathComponent()
        }
        let isMissing = existing.standardizedFileURL.path != URL(fileURLWithPath: folder).standardizedFileURL.path
        guard isDirectory(existing.path) else {
            throw UsageError("\(folder): cannot create the output folder: \(existing.path) is not a folder")
        }
        var template = Array("\(existing.path)/.gigascale-probe-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            let why = String(cString: strerror(errno))
            throw UsageError(isMissing ? "\(folder): cannot create the output folder: \(why)"
                                       : "\(folder): the output folder is not writable: \(why)")
        }
        close(fd)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }
}
