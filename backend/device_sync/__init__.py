"""Device sync: the protocol-1 push/pull endpoints, backed by SQL, over the pure engine in ``sync``.

Importing the package installs the change feed (``feed``; ``followup`` holds the complaint and action
handlers), so every writer — REST, CLI,
device pushes — keeps the rows devices pull up to date."""

from backend.device_sync import feed as feed
from backend.device_sync import followup as followup
