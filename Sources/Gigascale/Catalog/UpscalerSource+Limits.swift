import GigaImage

extension UpscalerSource {
    /// The size an upright `width` x `height` image comes out at, without building its upscaler
    /// (equal to `upscaler(for:).outputSize(for:)`). Throws for a size request the image cannot
    /// meet (above the native scale).
    public func outputSize(width: Int, height: Int) throws -> (width: Int, height: Int) {
        try options.outputSize.resolved(width: width, height: height, nativeScale: runningScale(width: width, height: height))
    }

    /// Refuses, from the header alone, an input whose output `limits` would not let be written as
    /// `format` (or read back): a file can be turned by its orientation, so it is refused only
    /// when its output is too large either way round. Call it from a reader's `HeaderCheck`, so
    /// nothing is decoded for an output that cannot be made; the exact size, known once the
    /// image is upright, is `ImageWriter`'s to check again.
    public func checkOutputFits(_ declared: DeclaredSize, as format: ImageFormat, limits: DecodeLimits) throws {
        var refusal: Error?
        for (width, height) in [(declared.width, declared.height), (declared.height, declared.width)] {
            // A request the image cannot meet is reported once it is decoded, in its own words.
            guard let size = try? outputSize(width: width, height: height) else { return }
            do {
                try limits.checkOutput(width: size.width, height: size.height, format: format)
                return
            } catch {
                refusal = refusal ?? error
            }
        }
        if let refusal { throw refusal }
    }
}
