from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, so an office PC with an
    English Windows would show English to a Vietnamese clerk; the product's language is
    Vietnamese by default (LANGUAGE_CODE) and English only on request (the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
