"""Fixtures the explorer tests share: settings in a temporary file, the interface language
(English at the start and again at the end) and a Session whose worker is joined after."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from explorer import i18n
from explorer.session import Session


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def language(qapp, settings):
    lang = i18n.setup_language(qapp, settings, "en")
    yield lang
    lang.set("en", save=False)


@pytest.fixture
def session(qtbot):
    s = Session()
    yield s
    assert s.shutdown(2.0)
