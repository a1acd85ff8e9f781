"""The translators' editor: catalogs in the browser with a live preview (``build.py serve``).

``create_app(config, settings)`` is the Starlette application; ``app`` lists its
routes, ``store`` reads and saves catalogs (one entry at a time, via ``po.editor``),
``preview`` renders a page in memory, ``rebuild`` keeps site/ up to date,
``security`` guards every request (host, size, token, CSRF) and ``payload`` checks
every request body before anything uses it.
"""

from .app import ROUTES, Settings, create_app
from .drafts import Drafts
from .security import Security

__all__ = ["ROUTES", "Drafts", "Security", "Settings", "create_app"]
