from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("moi/", views.draft_new, name="new"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/quyet-dinh.docx", views.decision_docx, name="docx"),
    path("<int:pk>/danh-sach.xlsx", views.decision_list_xlsx, name="xlsx"),
    path("<int:pk>/quyet-dinh.pdf", views.decision_pdf, name="pdf"),
    path("<int:pk>/danh-sach.pdf", views.decision_annex_pdf, name="annex_pdf"),
    path("<int:pk>/bang-khen.pdf", views.decision_certificates, name="certificates"),
    path("<int:pk>/sua/", views.decision_edit, name="edit"),
    path("<int:pk>/trinh-ky/", views.decision_submit, name="submit"),
    path("<int:pk>/tra-lai/", views.decision_return, name="return"),
    path("<int:pk>/ban-hanh/", views.decision_issue, name="issue"),
    path("<int:pk>/huy/", views.decision_cancel, name="cancel"),
    path("so-quyet-dinh/", views.register, name="register"),
    path("to-trinh/<int:dossier_pk>.docx", views.submission_letter, name="letter"),
    path("to-trinh/<int:dossier_pk>.pdf", views.submission_letter_pdf, name="letter_pdf"),
    path("bien-ban/<int:meeting_pk>.pdf", views.minutes_pdf, name="minutes_pdf"),
]
