import ArgumentParser
import Foundation
import GigaImage
import Gigascale

/// `gigascale upscale IN... [-o OUT]`: enlarge images and folders through the tiled, streaming
/// upscaler.
struct UpscaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upscale",
        abstract: "Enlarge images and folders of images, tile by tile, straight into the output files.",
        discussion: """
            One file: the output goes beside it as NAME-xSCALE.png unless -o says otherwise ('-' \
            writes standard output; 'png:-', 'jpeg:-', 'tiff:-' choose its format). Folders and \
            several files: -o names a folder; -r mirrors subfolders; outputs that exist are \
            skipped; bad files are reported and the run goes on. Rows are written as soon as \
            they are final, and a file appears under its name only when complete. Exit status: \
            0 all done, 1 some inputs failed, 2 usage error, 130 interrupted.
            """
    )

    @Argument(help: ArgumentHelp("Images and folders to enlarge ('-' for standard input).", valueName: "input"))
    var inputArguments: [String] = []

    @Option(name: [.customShort("i"), .customLong("input")], help: ArgumentHelp("An image or folder to enlarge (the familiar -i spelling; repeatable).", valueName: "path"))
    var inputOptions: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Output file, folder (for folders and several inputs), '-' for standard output, or FORMAT:- (png:-, jpeg:-, tiff:-).", valueName: "path"))
    var output: String?

    @OptionGroup(title: "Batch")
    var batch: BatchOptions

    @OptionGroup(title: "Prompts")
    var prompts: PromptOptions

    @OptionGroup(title: "Model")
    var model: ModelOptions

    @OptionGroup(title: "Size")
    var size: SizeOptions

    @OptionGroup(title: "Encoding")
    var encoding: EncodingOptions

    @OptionGroup(title: "Feedback")
    var feedback: FeedbackOptions

    @OptionGroup(title: "Metadata and orientation")
    var metadata: MetadataOptions

    @OptionGroup(title: "Limits")
    var limits: LimitOptions

    @OptionGroup(title: "Compatibility with realesrgan-ncnn-vulkan")
    var compatibility: CompatibilityOptions

    /// The inputs, however they were spelled.
    var inputs: [String] { inputOptions + inputArguments }

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("name the images or folders to enlarge ('-' for standard input)") }
        guard Set(inputs).count == inputs.count else { throw ValidationError("give each input once, either as an argument or with -i") }
    }

    func run() async throws {
        InterruptGuard.shared.install()
        // Everything that can refuse the command does so here, before any file is read; the
        // plan, which may create the output folder, comes last.
        let shard = try batch.shard.map { try Shard.parse($0) }
        let naming = try OutputNaming(template: batch.name ?? OutputNaming.defaultTemplate)
        let promptSource = try PromptSource(options: prompts)
        try model.checkModelFileExists()
        if let output, OutputSpelling(output).isStandardOutput, isatty(STDOUT_FILENO) == 1 {
            throw UsageError("-o \(output): standard output is a terminal; redirect it to a file or a pipe")
        }
        let plan = try BatchPlanner(inputs: inputs, output: output, recursive: batch.recursive,
                                    formatGiven: encoding.format != nil).plan()
        // The model is loaded before any input is read, so options it cannot take are usage
        // errors; a broken model file fails the run (status 1) as before.
        let upscalers: UpscalerSource
        do {
            upscalers = try model.upscalerSource(outputSize: size.outputSize, threads: compatibility.inferenceThreads)
        } catch let error as GigascaleError where error.concernsOptions {
            throw UsageError(error.message)
        } catch let error as GigascaleError {
            Diagnostics.error(error.description)
            throw ExitCode(ExitStatus.someFailed)
        }
        let jobs = plan.jobs.filter { shard?.includes($0.shardKey) ?? true }
        let reporter = try ProgressReporter(options: feedback, jobCount: jobs.count, isBatch: plan.isBatch)
        if let gpu = compatibility.gpu { reporter.note("-g \(gpu): CPU only") }
        if let shard { reporter.note("shard \(shard.index)/\(shard.count): \(jobs.count) of \(plan.jobs.count) inputs", verboseOnly: true) }
        if shard.map({ $0.index == 1 }) ?? true {
            for path in plan.nonImages { reporter.finished(JobRecord(input: path, model: model.displayName, status: .skipped, message: "not an image")) }
            for folder in plan.skippedFolders { reporter.note("skipped folder \(folder) (-r enters subfolders)") }
            for line in promptSource.listLinesNamingNoInput(plan.jobs.map(\.input)) { reporter.warning(line) }
            for (path, reason) in plan.unreadable {
                reporter.finished(JobRecord(input: path, model: model.displayName, status: .failed, message: "\(path): \(reason)"))
            }
        }
        reporter.note("precision: \(upscalers.precisionChoice)", verboseOnly: true)
        reporter.note("OpenMP waiting: \(Self.waitingDescription)", verboseOnly: true)
        if upscalers.preEnlargement > 1 {
            let base = upscalers.nativeScale / upscalers.preEnlargement
            reporter.note("\(model.displayName) is a \(base)x model: each image is enlarged ×\(upscalers.preEnlargement) with bicubic, then the model runs (\(upscalers.nativeScale)x in all)", verboseOnly: true)
        }

        let runner = BatchRunner(jobs: jobs, reporter: reporter) { job, run in
            await enlarge(job, with: upscalers, plan: plan, naming: naming, prompts: promptSource, run: run)
        }
        let task = Task { await runner.run() }
        InterruptGuard.shared.cancelOnSignal(task)
        await task.value
        let interrupted = InterruptGuard.shared.wasInterrupted
        reporter.summary(interrupted: interrupted)
        if interrupted { throw ExitCode(ExitStatus.interrupted) }
        let failures = reporter.records.filter { $0.status == .failed }
        if !failures.isEmpty && failures.allSatisfy(\.failedOnOptions) && !reporter.records.contains(where: { $0.status == .done }) {
            throw ExitCode(ExitStatus.usage)  // the options, not the inputs, are at fault
        }
        if !failures.isEmpty { throw ExitCode(ExitStatus.someFailed) }
    }

    /// Enlarges one input into its output; every failure becomes the record's message.
    func enlarge(_ job: Job, with upscalers: UpscalerSource, plan: BatchPlan, naming: OutputNaming,
                 prompts: PromptSource, run: BatchRunner) async -> JobRecord {
        let started = Date()
        let prompt = prompts.prompt(for: job.input)
        var record = JobRecord(input: job.input, model: upscalers.model.displayName, prompt: prompt.text,
                               precisionChoice: upscalers.precisionChoice)
        let source = InputSource(job.input)
        /// A note that goes into the record and, as a warning naming `subject`, to the user.
        func warn(_ note: String, about subject: String) {
            record.notes.append(note)
            run.reporter.warning("\(subject): \(note)")
        }
        do {
            let skipExisting = batch.skipExisting || (plan.isBatch && !batch.overwrite)
            /// Reserves the output; false when it exists and is to be kept (the record says so).
            func claim(_ path: String) throws -> Bool {
                guard path != "-" else { return true }
                record.output = path
                guard let reason = try run.claim(path, for: job, inputKeys: plan.inputKeys, skipExisting: skipExisting) else { return true }
                record.status = .skipped
                record.message = reason
                return false
            }
            var destination = job.explicitOutput?.path
            let templatedFormat = ImageFormat(name: encoding.format ?? "png") ?? .png
            let sizeRequest = size.nameSuffix(nativeScale: upscalers.nativeScale)
            if destination == nil, let name = naming.name(stem: OutputNaming.stem(of: job.input), format: templatedFormat,
                                                          scale: size.scaleText(nativeScale: upscalers.nativeScale, input: nil, output: nil),
                                                          sizeRequest: sizeRequest, model: upscalers.model.displayName, size: nil) {
                destination = job.outputDirectory! + "/" + name
            }
            // An output known before decoding is checked before decoding: a rerun skips quickly.
            if let destination, !(try claim(destination)) { return record }

            let limits = self.limits.limits
            func chosenFormat(input: ImageFormat?) -> ImageFormat {
                job.explicitOutput.map { self.outputFormat(for: $0, inputFormat: input) } ?? templatedFormat
            }
            // An output too large to write (or to read back) is refused from the input's header,
            // before its pixels are decoded.
            var image = try source.read(applyOrientation: !metadata.noAutoOrient) { declared in
                try upscalers.checkOutputFits(declared, as: chosenFormat(input: declared.format), limits: limits)
            }
            for note in image.metadata.notes { warn(note, about: source.displayName) }
            image.metadata = metadata.filter(image.metadata)
            record.inputSize = (image.width, image.height)
            let upscaler = try upscalers.upscaler(for: image)
            if upscalers.resamplesDirectly(image) {
                warn("the size asked for is no larger than the \(image.width)x\(image.height) input: resampled with Lanczos-3, without the model",
                     about: source.displayName)
            }
            var header = try upscaler.outputHeader(for: image)
            if metadata.noAutoOrient { header.orientation = image.metadata.sourceOrientation }
            record.outputSize = (header.width, header.height)
            let format = chosenFormat(input: image.metadata.sourceFormat)
            do {
                try limits.checkOutput(width: header.width, height: header.height, format: format)
            } catch let error as ImageError {
                throw error.attributed(to: source.displayName)
            }

            if destination == nil {
                let outputSize = (width: header.width, height: header.height)
                let scale = size.scaleText(nativeScale: upscalers.nativeScale, input: (image.width, image.height), output: outputSize)
                let name = naming.name(stem: OutputNaming.stem(of: job.input), format: templatedFormat, scale: scale,
                                       sizeRequest: sizeRequest, model: upscalers.model.displayName, size: outputSize)!
                destination = job.outputDirectory! + "/" + name
                if !(try claim(destination!)) { return record }
            }
            let path = destination!
            record.output = path
            try metadata.checkOrientationCanBeKept(header, in: format)
            if format == .jpeg && image.hasAlpha {
                warn("JPEG has no alpha channel; the alpha plane is dropped", about: source.displayName)
            }
            if let named = job.explicitOutput, let byExtension = try? named.extensionFormat(), byExtension != format {
                warn("writing \(format.displayName) as --format asks, under a .\(URL(fileURLWithPath: path).pathExtension) name", about: path)
            }
            if path != "-" {  // output folders are made on first use
                try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                        withIntermediateDirectories: true)
                for partial in ImageWriter.removeAbandonedPartials(beside: path) {
                    run.reporter.warning("removed \(partial), left by a run that was killed while writing \(path)")
                }
            }
            let settings = encoding.settings(for: format)
            let writer = try InterruptGuard.shared.open {
                path == "-"
                    ? try ImageWriter.standardOutput(settings: settings, header: header, limits: limits)
                    : try ImageWriter(path: path, settings: settings, header: header, limits: limits)
            }
            defer { InterruptGuard.shared.close() }
            do {
                if compatibility.tta {
                    try await upscaler.upscaleWithTestTimeAugmentation(image, prompt: prompt.text, into: writer) { progress in
                        run.reporter.tiles(done: progress.tilesDone, of: progress.tilesTotal)
                    }
                } else {
                    try await upscaler.upscale(image, prompt: prompt.text, into: writer) { progress in
                        run.reporter.tiles(done: progress.tilesDone, of: progress.tilesTotal)
                    }
                }
            } catch {
                writer.cancel()
                throw error
            }
            record.status = .done
        } catch {
            record.status = .failed
            record.message = Self.describe(error, input: source.displayName)
            record.failedOnOptions = (error as? GigascaleError)?.concernsOptions ?? false
        }
        record.seconds = Date().timeIntervalSince(started)
        return record
    }

    /// How oneDNN's threads wait between convolutions, for `-v`.
    static var waitingDescription: String {
        switch GigascaleCommand.relaunch {
        case .notOpenMP: "oneDNN does not run on OpenMP here"
        case .failed(let reason): "libgomp's default spinning: could not relaunch with \(OpenMPWaiting.spinCountVariable)=\(OpenMPWaiting.briefSpinCount) (\(reason))"
        case .environmentDecides: OpenMPWaiting.settings
        }
    }

    /// The format of an output `-o` names: --format, else its prefix, else its extension, else
    /// the input's format for standard output and PNG for a file.
    private func outputFormat(for spelling: OutputSpelling, inputFormat: ImageFormat?) -> ImageFormat {
        if let chosen = encoding.format.flatMap(ImageFormat.init(name:)) ?? spelling.prefixFormat { return chosen }
        if let byExtension = try? spelling.extensionFormat() { return byExtension }
        return spelling.isStandardOutput ? inputFormat ?? .png : .png
    }

    /// One line naming the file and the reason.
    static func describe(_ error: Error, input: String) -> String {
        switch error {
        case let error as ImageError: error.description
        case let error as GigascaleError: error.namesItsFile ? error.message : "\(input): \(error.message)"
        case let error as JobError: "\(input): \(error.message)"
        case is CancellationError: "\(input): interrupted"
        default: "\(input): \((error as NSError).localizedDescription)"
        }
    }
}
