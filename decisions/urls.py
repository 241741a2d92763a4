from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("moi/", views.draft_new, name="new"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/quyet-dinh.docx", views.decision_docx, name="docx"),
    path("<int:pk>/danh-sach.xlsx", views.decision_list_xlsx, name="xlsx"),
    path("<int:pk>/ban-hanh/", views.decision_issue, name="issue"),
    path("<int:pk>/huy/", views.decision_cancel, name="cancel"),
    path("so-quyet-dinh/", views.register, name="register"),
    path("to-trinh/<int:dossier_pk>.docx", views.submission_letter, name="letter"),
]
