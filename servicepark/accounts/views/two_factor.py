"""Two-factor sign-in: set up an authenticator app (TOTP) once, then give its code after the
password. Setting up and every sign-in are audited."""

from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicepark.common.audit import audit_record


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if ok else "/"


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    error = ""
    if request.method == "POST":
        code = (request.POST.get("code") or "").strip().replace(" ", "")
        if code.isdigit() and len(code) == 6 and device.verify_token(code):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(actor=user, action="two_factor.setup", obj=device, after={})
            otp_login(request, device)
            audit_record(actor=user, action="two_factor.verify", obj=device, after={})
            return redirect(_next(request))
        error = _(
            "That code is not right, was used already, or came too soon after a wrong one. "
            "Try the current code in a moment."
        )
    context = {"setting_up": setting_up, "error": error, "next": _next(request)}
    if setting_up:
        context["qr"] = segno.make(device.config_url, micro=False).svg_inline(scale=4)
        context["secret"] = device.bin_key.hex()
    return render(request, "accounts/two_factor.html", context)
