"""Refusals carry a code and a message that reads in Vietnamese and in English."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override


class DomainError(Exception):
    """A refused request. `message` is lazy: it renders in the active language."""

    def __init__(self, code: str, message, *, field: str | None = None, details=()) -> None:
        self.code = code
        self.message = message
        self.field = field
        self.details = list(details)
        super().__init__(self.text())

    def text(self) -> str:
        parts = [str(self.message), *(str(d) for d in self.details)]
        return " ".join(parts)

    def in_languages(self) -> dict[str, str]:
        texts = {}
        for lang in ("vi", "en"):
            with override(lang):
                texts[lang] = self.text()
        return texts

    def __str__(self) -> str:
        return self.text()


class TransitionRefused(DomainError):
    @classmethod
    def conflict(cls, dossier) -> "TransitionRefused":
        return cls(
            "conflict",
            _(
                "Không thể thực hiện: hồ sơ đang ở trạng thái “%(status)s” (có thể người khác "
                "vừa xử lý). Tải lại trang để xem trạng thái mới."
            )
            % {"status": dossier.get_status_display()},
        )

    @classmethod
    def no_permission(cls) -> "TransitionRefused":
        return cls("no_permission", _("Bạn không có quyền thực hiện thao tác này với hồ sơ."))

    @classmethod
    def unmet(cls, messages) -> "TransitionRefused":
        return cls("unmet_conditions", _("Chưa đủ điều kiện:"), details=messages)
