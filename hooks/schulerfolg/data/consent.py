"""The one rule for publishing a contact person's name, shared by the loader, the model, the pages and
the data diff: only a literal YAML ``true`` in ``veroeffentlichen`` is consent.

``yes``, ``on``, ``y``, ``"true"``, ``1`` and anything else are not: the loader (``yamlsource``) keeps
such a value as the text the editor typed, the model refuses it with a located message, and the diff
treats the person as unpublished.
"""

from __future__ import annotations

from typing import Any

CONSENT_KEY = "veroeffentlichen"


def consent_given(value: Any) -> bool:
    """True only for the boolean ``True`` (which the loader makes only from a plain ``true``)."""
    return value is True


def published(record: Any) -> bool:
    """A parsed contact person (a mapping) whose ``veroeffentlichen`` is a literal ``true``."""
    return isinstance(record, dict) and consent_given(record.get(CONSENT_KEY))
