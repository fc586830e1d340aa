import ArgumentParser
import Foundation
import Gigascale

/// Where each input's prompt comes from.
struct PromptOptions: ParsableArguments {
    @Option(help: ArgumentHelp("What the photos show, for every input (ignored by the classical models).", valueName: "text"))
    var prompt: String?

    @Option(help: ArgumentHelp("A list of prompts: one 'path<TAB>prompt' line per input (paths relative to the list's folder or the current one; '#' starts a comment).",
                               valueName: "file"))
    var promptFile: String?

    @Flag(help: "Use no prompt at all, not even sidecar files.")
    var noPrompt = false

    func validate() throws {
        if noPrompt && (prompt != nil || promptFile != nil) {
            throw ValidationError("--no-prompt cannot be combined with --prompt or --prompt-file")
        }
        if prompt != nil && promptFile != nil {
            throw ValidationError("--prompt and --prompt-file are exclusive: --prompt applies to every input")
        }
    }
}

/// Finds each input's prompt: `--no-prompt` gives none; `--prompt` gives the same for all;
/// otherwise the `--prompt-file` line for the input, else a sidecar file beside it
/// (`photo.txt`, then `photo.caption` for `photo.jpg`), else none.
struct PromptSource {
    enum Origin: String { case none, option, list, sidecar }

    private let options: PromptOptions
    private let list: [String: String]
    /// Each list line's place ("list.tsv:3") and the keys its path may match.
    private let listLines: [(place: String, file: String, keys: [String])]

    /// Reads the prompt list, if any, refusing an unreadable or malformed one before any work.
    init(options: PromptOptions) throws {
        self.options = options
        guard let path = options.promptFile else { list = [:]; listLines = []; return }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw UsageError("\(path): cannot read the prompt list (missing, unreadable or not UTF-8)")
        }
        let listFolder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let currentFolder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var entries: [String: String] = [:]
        var lines: [(place: String, file: String, keys: [String])] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            guard let tab = line.firstIndex(of: "\t") else {
                throw UsageError("\(path):\(number + 1): expected 'path<TAB>prompt'")
            }
            let file = String(line[..<tab])
            let prompt = PromptText.clipped(String(line[line.index(after: tab)...]).trimmingCharacters(in: .whitespaces))
            // Keyed by both readings of a relative path; the list folder's wins when they differ.
            let keys = [Self.key(file, relativeTo: currentFolder), Self.key(file, relativeTo: listFolder)]
            for key in keys { entries[key] = prompt }
            lines.append(("\(path):\(number + 1)", file, keys))
        }
        list = entries
        listLines = lines
    }

    /// The prompt for `input` and where it came from; an empty prompt counts as none.
    func prompt(for input: String) -> (text: String?, origin: Origin) {
        if options.noPrompt { return (nil, .none) }
        if let prompt = options.prompt { return (prompt.isEmpty ? nil : PromptText.clipped(prompt), .option) }
        guard input != "-" else { return (nil, .none) }
        let currentFolder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let prompt = list[Self.key(input, relativeTo: currentFolder)] { return (prompt.isEmpty ? nil : prompt, .list) }
        let base = URL(fileURLWithPath: input).deletingPathExtension()
        for ext in BatchPlanner.sidecarExtensions {
            let sidecar = base.appendingPathExtension(ext).path
            if let data = Self.readSidecar(sidecar) {
                let text = PromptText.clipped(data).trimmingCharacters(in: .whitespacesAndNewlines)
                return (text.isEmpty ? nil : text, .sidecar)
            }
        }
        return (nil, .none)
    }

    /// The list lines whose path names none of `inputs` (they would otherwise be ignored silently).
    func listLinesNamingNoInput(_ inputs: [String]) -> [String] {
        let currentFolder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let inputKeys = Set(inputs.filter { $0 != "-" }.map { Self.key($0, relativeTo: currentFolder) })
        return listLines.filter { line in !line.keys.contains(where: inputKeys.contains) }
            .map { "\($0.place): \($0.file) is not among the inputs; its prompt is not used" }
    }

    /// `prompt` as messages show it: at most `characters` characters, "…" where it was cut.
    static func shortened(_ prompt: String, to characters: Int = 80) -> String {
        prompt.count <= characters ? prompt : String(prompt.prefix(characters - 1)) + "…"
    }

    /// The first `PromptText.byteLimit` bytes of a regular file (and the few after them that tell
    /// whether the cut falls inside a character); nil when there is none (a FIFO or a
    /// folder named like a sidecar is not opened for reading, so it can never block the run).
    private static func readSidecar(_ path: String) -> Data? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return try? handle.read(upToCount: PromptText.byteLimit + 4) ?? Data()
    }

    private static func key(_ path: String, relativeTo folder: URL) -> String {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)).standardizedFileURL.path
    }
}
