from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from servicepark.accounts.two_factor import client_address, login_rate
from servicepark.accounts.views.two_factor import two_factor

app_name = "accounts"

# Wrong passwords lock a username from an address (django-axes); on top of that, any address
# may post the login form only so often.
login_view = method_decorator(
    ratelimit(key=client_address, rate=login_rate, method="POST", block=True),
    name="post",
)(auth_views.LoginView).as_view(template_name="accounts/login.html")

urlpatterns = [
    path("login/", login_view, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", two_factor, name="two_factor"),
]
