"""Accounts: register, log in, log out, and the language switch.

Logging in is rate-limited per account name tried (``LOGIN_RATE_LIMIT``, 10 a
minute by default) to slow down password guessing, and per client address
(``LOGIN_ADDRESS_RATE_LIMIT``, 100 a minute, registering included) so that a
class behind one address fits; the limiter answers 429, which the error
handlers render as a clear page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ...extensions import db, limiter, login_manager
from ...i18n import SESSION_KEY, supported
from ...models import User
from ...ratelimit import ACCOUNT_SCOPE, configured
from ...services.accounts import users
from ...services.errors import Invalid
from ...sessions import renew_session
from ..forms import ActionForm
from ..owner import claim_visitor_work
from .forms import LoginForm, RegisterForm

bp = Blueprint("auth", __name__)

# A student who mistypes, not a guesser; a whole class behind one address.
login_rate_limit = configured("LOGIN_RATE_LIMIT", "10/minute")
address_rate_limit = configured("LOGIN_ADDRESS_RATE_LIMIT", "100/minute")

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Log in to see this page.")
login_manager.login_message_category = "info"


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site, else ``fallback`` (no open redirect)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    # Browsers read "/\\host" like "//host": another site.
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return fallback
    return target.rstrip("?") or fallback


def landing_page(user: User) -> str:
    """Where a login leads when no page was asked for: an instructor's review queue,
    a learner's progress."""
    return url_for("author.questions") if user.is_instructor else url_for("study.progress")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(address_rate_limit, methods=["POST"])
def register() -> ResponseReturnValue:
    """Create a student account, log it in, and keep what the visitor scored."""
    if current_user.is_authenticated:
        return redirect(landing_page(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = users.register(form.username.data, form.password.data)
        except Invalid as error:
            # Lengths are checked by the form; the service's messages are French only.
            taken = error.message == users.NAME_TAKEN
            form.username.errors.append(
                _("This username is already taken.")
                if taken
                else _("This username cannot be used: type visible characters only.")
            )
        else:
            _log_in(user)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.username), "success")
            return redirect(safe_next(request.args.get("next"), url_for("study.progress")))
    status = 400 if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(address_rate_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    """Log in; a wrong name or password gets one message that tells neither apart."""
    if current_user.is_authenticated:
        return redirect(landing_page(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        limiter.hit_or_abort(
            login_rate_limit(), ACCOUNT_SCOPE, users.login_name_key(form.username.data)
        )
        user = users.authenticate(form.username.data, form.password.data)
        if user is not None:
            _log_in(user)
            flash(_("Hello, %(name)s!", name=user.username), "success")
            return redirect(safe_next(request.args.get("next"), landing_page(user)))
        form.password.errors.append(_("Wrong username or password."))
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Log out (a POST with a CSRF token, so that no link elsewhere can log you out).

    The account's cookies all stop working, copies included; the language stays.
    """
    if not ActionForm().validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        users.end_sessions(current_user)
        db.session.commit()
    logout_user()
    renew_session(keep=[SESSION_KEY])
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/lang/<code>", methods=["GET", "POST"])
def set_language(code: str) -> ResponseReturnValue:
    """Switch the interface language: a GET for this browser, a POST (the switch) for the
    account too, since a GET must change nothing stored and a link elsewhere could send one.
    """
    if not supported(code):
        abort(404)
    if request.method == "POST" and not ActionForm().validate_on_submit():
        abort(400)
    session[SESSION_KEY] = code
    if request.method == "POST" and current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("main.home")))


def _log_in(user: User) -> None:
    """Log ``user`` in on a new session, claim the visitor's attempts, adopt the language."""
    claim_visitor_work(user)
    renew_session(keep=[SESSION_KEY])
    login_user(user)
    if user.locale and supported(user.locale):
        session[SESSION_KEY] = user.locale
    elif supported(session.get(SESSION_KEY)):
        user.locale = session[SESSION_KEY]
    db.session.commit()
