import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules: ~150,000 objects) lives as long as the process, yet
# every full collection of the garbage collector walked it all: a ~100 ms pause on whichever request set it off
# (bench/listing.py at 1,000,000 products: the same 4 of 56 rows at 4-9x a product page's p95 in every run;
# none after this). Frozen, those objects are left out of every collection; the requests' own garbage is not.
gc.collect()
gc.freeze()
