"""Password reset by e-mail (/quen-mat-khau/): Django's views, our templates and our link base.

Django builds the link in the e-mail from the request's Host header; a forged Host (let
through by a lax ALLOWED_HOSTS or a proxy) would mail a genuine token pointing at another
site. The link is built from settings.SITE_URL instead, as every notice e-mail is.
The pages never say whether an address is known (Django sends nothing for an unknown or
inactive address and shows the same page), and the token is Django's: single use, tied
to the password hash and the last log-in, valid PASSWORD_RESET_TIMEOUT seconds.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)
