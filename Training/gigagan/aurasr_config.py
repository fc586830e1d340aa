"""fal's published AuraSR config.json (identical for fal/AuraSR and fal/AuraSR-v2): the keyword
arguments of aura_sr.UnetUpsampler. The one copy, for the parity fixtures and the full-size check."""

REAL_CONFIG = {
    "style_network": {"dim_in": 128, "dim_out": 512, "depth": 4},
    "dim": 64,
    "image_size": 256,
    "input_image_size": 64,
    "unconditional": True,
    "skip_connect_scale": 0.4,
}
