from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "PurgeQuiz authoring"
admin.site.site_title = "PurgeQuiz"
admin.site.index_title = "Essays, questions and classes"
# The page is for reading questions; the sidebar would squeeze the list.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("quizzes.urls")),
]
