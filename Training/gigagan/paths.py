"""Where things are, from this package's place in the checkout (so no script depends on the
working directory for its defaults)."""

from pathlib import Path

TRAINING = Path(__file__).resolve().parents[1]     # Training/
REPO = TRAINING.parent                              # the repository root
DATA_DIR = TRAINING / "data"                        # manifest.tsv, captions.tsv, hr/ (data/fetch.sh)
RESULTS = TRAINING / "results"                      # eval's tables and gallery sheets
GIGASCALE = REPO / ".build" / "release" / "gigascale"   # `swift build -c release --product gigascale`
