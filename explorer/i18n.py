"""Interface language: English or Simplified Chinese, switchable while the app runs.

Interface strings are wrapped in Qt's ``tr()`` / ``QCoreApplication.translate``; their
Chinese lives in ``resources/i18n/explorer_zh.ts`` (made with pyside6-lupdate, filled in
by hand) and is compiled to ``explorer_zh.qm`` (pyside6-lrelease), which a QTranslator
loads. Qt's own strings (dialog buttons) come from Qt's ``qtbase_zh_CN.qm``.

The first start follows the system language (``QLocale.system()``); a choice made in
View > Language is kept in QSettings under ``"language"``. ``Language.sig_changed``
tells explanation panes and the tour to reload their texts; Qt sends every widget a
``LanguageChange`` event so windows can retranslate their menus.

Regenerate the translation files after changing interface strings:

    pyside6-lupdate explorer/*.py explorer/panels/*.py explorer/panels/*/*.py explorer/widgets/*.py -no-obsolete \
        -ts resources/i18n/explorer_zh.ts
    pyside6-lrelease resources/i18n/explorer_zh.ts -qm resources/i18n/explorer_zh.qm
"""
from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QFont, QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from explorer.fonts import cjk_fallback_family, ensure_cjk_font
from explorer.settings import make_settings, resource_path

__all__ = ["LANGUAGES", "Language", "language", "language_menu", "resource_path",
           "saved_language", "setup_language", "system_language", "tr", "translators"]

LANGUAGES = {"en": "English", "zh": "简体中文"}
SETTINGS_KEY = "language"
QT_LOCALE_NAMES = {"zh": "zh_CN"}


def system_language(locale: QLocale | None = None) -> str:
    """"zh" when the (system) locale is Chinese, else "en"."""
    locale = locale or QLocale.system()
    return "zh" if locale.language() == QLocale.Language.Chinese else "en"


def saved_language(settings: QSettings) -> str:
    """The language chosen before, or the system language on a first start."""
    value = str(settings.value(SETTINGS_KEY, "") or "")
    return value if value in LANGUAGES else system_language()


def tr(text: str) -> str:
    """``text`` in the interface language, for module-level functions (lupdate files a bare
    ``tr("...")`` outside a class under the empty context, which is the one used here)."""
    return QCoreApplication.translate("", text)


class Language(QObject):
    """The interface language of the running app: installs translators, persists the choice.

    Args:
        settings: where the choice persists.
        code: start in this language (default: the saved or the system language).
    """

    sig_changed = Signal(str)  # the new language code

    def __init__(self, settings: QSettings, code: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.code = "en"
        self._translators: list[QTranslator] = []
        self.set(code or saved_language(settings), save=False)

    def set(self, code: str, save: bool = True) -> None:
        """Switch to ``code`` ("en" or "zh"): swap translators, remember, tell listeners."""
        if code not in LANGUAGES:
            raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
        app = QCoreApplication.instance()
        for translator in self._translators:
            app.removeTranslator(translator)
        self._translators = [t for t in translators(code) if app.installTranslator(t)]
        if code == "zh" and isinstance(app, QGuiApplication):
            ensure_cjk_font()
        changed = code != self.code
        self.code = code
        if save:
            self.settings.setValue(SETTINGS_KEY, code)
        if changed:
            self.sig_changed.emit(code)


def translators(code: str) -> list[QTranslator]:
    """Loaded translators for ``code``: the app's own, then Qt's (none for English)."""
    if code == "en":
        return []
    own = QTranslator()
    if not own.load(str(resource_path("i18n", f"explorer_{code}.qm"))):
        raise FileNotFoundError(f"missing translation resources/i18n/explorer_{code}.qm")
    result = [own]
    qt = QTranslator()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{QT_LOCALE_NAMES.get(code, code)}", qt_dir):
        result.append(qt)
    return result


_current: Language | None = None


def setup_language(app: QCoreApplication, settings: QSettings, code: str | None = None) -> Language:
    """Make the app's Language (replacing an earlier one) and install its translators."""
    global _current
    if _current is not None:
        _current.set("en", save=False)  # removes its translators
        _current.deleteLater()
    _current = Language(settings, code, parent=app)
    return _current


def language() -> Language:
    """The app's Language; made with the user's settings if ``setup_language`` was not called."""
    if _current is None:
        return setup_language(QCoreApplication.instance(), make_settings())
    return _current


def language_menu(parent: QWidget) -> QMenu:
    """View > Language: one checkable entry per language, written in that language."""
    menu = QMenu(tr("&Language"), parent)
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    current = language()
    for code, name in LANGUAGES.items():
        action = QAction(name, menu, checkable=True, checked=code == current.code)
        action.setToolTip(tr("Menus, panels, the tour and explanations switch at once"))
        action.setData(code)
        group.addAction(action)
        menu.addAction(action)
    group.triggered.connect(lambda action: language().set(action.data()))
    menu.aboutToShow.connect(lambda: _readable_names(menu))
    return menu


def _readable_names(menu: QMenu) -> None:
    """Each language's name drawn in a font that has its characters: in English on a
    machine without a CJK font, "简体中文" was four boxes (the shipped font is loaded here,
    when the menu is first opened, not at start-up)."""
    family = cjk_fallback_family()
    if family is None:
        return
    for action in menu.actions():
        font = QFont(menu.font())
        if family not in font.families():
            font.setFamilies([*font.families(), family])
        action.setFont(font)
