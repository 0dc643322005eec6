"""Settings for the store, read from environment variables, one module per concern.

Development defaults need nothing: SQLite in the project folder, a local-memory cache and a Celery broker on
the file system. ``DJANGO_DEBUG=0`` is production mode: it refuses to start without ``SECRET_KEY`` and
``ALLOWED_HOSTS``. Each module imports by name what it reads from another; no setting is defined twice.
"""

from .api import *  # noqa: F403
from .auth import *  # noqa: F403
from .base import *  # noqa: F403
from .cache import *  # noqa: F403
from .celery import *  # noqa: F403
from .database import *  # noqa: F403
from .logging import *  # noqa: F403
from .mail import *  # noqa: F403
from .payments import *  # noqa: F403
from .security import *  # noqa: F403
from .storage import *  # noqa: F403
from .store import *  # noqa: F403
