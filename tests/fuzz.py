"""Settings shared by the fuzz tests (hostile corpus files, checkpoint headers).

CI runs them with a fixed seed and a bounded number of examples. To run them longer:

    FUZZ_EXAMPLES=5000 python -m pytest tests/model/test_fuzz.py tests/model/test_loaders.py -k "never or any"

``FUZZ_SEED=N`` picks another seed.
"""
import os

from hypothesis import HealthCheck, seed, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
SEED = int(os.environ.get("FUZZ_SEED", "20261203"))
_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fuzz(test):
    """Decorate a @given test (put this above @given): fixed seed, bounded examples."""
    return seed(SEED)(_SETTINGS(test))
