/// The trained models Gigascale ships, by name: the file `NAME.safetensors` in `Models/`.
public enum BuiltInModels {
    /// The default, best first: the distilled `gigagan-8x-s`, then the reconstruction-only first
    /// model. The first one installed is what runs when no model is chosen (the command line and
    /// the benchmarks).
    public static let defaultNames = ["gigagan-8x-s", "gigagan-8x-s-psnr"]
}
