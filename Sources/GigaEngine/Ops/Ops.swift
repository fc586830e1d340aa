/// Namespace of the engine's element-wise, normalisation, resampling and attention ops.
public enum Ops {}
