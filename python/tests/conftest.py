import sys
from pathlib import Path

# Import the package from this source tree, not an installed copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
