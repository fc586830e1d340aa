import ArgumentParser

/// Folders, names, existing outputs and shares of a batch.
struct BatchOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Enter subfolders of input folders, mirroring the tree under -o.")
    var recursive = false

    @Option(help: ArgumentHelp("Output file name: {stem}, {ext}, {scale}, {size}, {width}, {height} and {model} are replaced (default '{stem}-{size}.{ext}', e.g. photo-x8.png, photo-fit3840x2160.png).",
                               valueName: "template"))
    var name: String?

    @Flag(help: "Leave inputs whose output already exists alone (the default for folders and several inputs).")
    var skipExisting = false

    @Flag(help: "Replace outputs that already exist (an input is never replaced).")
    var overwrite = false

    @Option(help: ArgumentHelp("Process only share K of N (1 <= K <= N, stable by path hash), or 'auto' from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX/GIGASCALE_SHARD_COUNT.",
                               valueName: "K/N|auto"))
    var shard: String?

    func validate() throws {
        if skipExisting && overwrite { throw ValidationError("--skip-existing and --overwrite are exclusive") }
    }
}
