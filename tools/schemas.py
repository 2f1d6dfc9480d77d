"""Check (default) or regenerate (--write) the JSON Schemas in schemas/ from hooks/schulerfolg/data/model.py.

    python tools/schemas.py           # exit code 1 when schemas/ does not match the model
    python tools/schemas.py --write   # after changing model.py; commit schemas/ with it
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from schulerfolg.editors.schema import main  # noqa: E402  (needs the path above)

sys.exit(main())
