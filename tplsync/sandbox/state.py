"""The emulated account, in no API's words: templates, their review, sends.

The routes modules (one per API dialect) translate requests into these
records and apply their dialect's rules; the store only keeps the records,
allocates ids, resolves reviews from the clock and persists. One re-entrant
lock makes it safe under the server's threads: a route that reads, checks
and writes holds :meth:`Store.transaction` around all three. Review is
resolved lazily (a submitted template is approved or rejected
``review_delay`` seconds after submission, when next read), so no
background thread is needed and the outcome does not depend on timing.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from tplsync.files import write_atomic

STATE_VERSION = 2
T = TypeVar("T")
_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_VARIABLE = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")


# str-valued: they hash as fast as the codes they replace and are written
# to the state file as they are.
class Kind(str, Enum):
    VERIFICATION = "verification"
    NOTIFICATION = "notification"
    MARKETING = "marketing"


class Position(str, Enum):
    PREFIX = "prefix"
    SUFFIX = "suffix"


class Review(str, Enum):
    NOT_SUBMITTED = "not-submitted"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Draft:
    """A template's own fields, as a template file gives them."""

    name: str
    kind: Kind
    content: str
    signature_id: int | None = None
    signature_position: Position = Position.PREFIX
    country_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    id: int
    name: str
    kind: Kind
    content: str
    signature_id: int | None = None
    signature_position: Position = Position.PREFIX
    review: Review = Review.NOT_SUBMITTED
    review_message: str = ""
    created: float = 0.0
    updated: float = 0.0
    submitted_at: float | None = None
    country_codes: tuple[str, ...] = ()

    def submitted(self, now: float) -> Template:
        """This template filed for review at ``now``."""
        return replace(self, review=Review.PENDING, review_message="", submitted_at=now)


@dataclass(frozen=True)
class SignatureRecord:
    """A signature (sender id) with its own review, which a template names."""

    id: int
    name: str
    review: Review = Review.PENDING
    review_message: str = ""
    created: float = 0.0
    updated: float = 0.0
    submitted_at: float | None = None

    def submitted(self, now: float) -> SignatureRecord:
        return replace(self, review=Review.PENDING, review_message="", submitted_at=now)


@dataclass(frozen=True)
class OtpTemplate:
    """An OTP template: an object of the OTP service with its own string id,
    apart from the SMS templates (added through the admin endpoint)."""

    id: str
    content: str


@dataclass(frozen=True)
class ReviewRule:
    """Submitted content matching ``pattern`` is rejected with ``message``."""

    pattern: str
    message: str


@dataclass
class Settings:
    review_delay: float = 5.0
    reject: Sequence[ReviewRule] = ()
    otp_validity: float = 60.0


@dataclass
class _State:
    templates: dict[int, Template] = field(default_factory=dict)
    otp_templates: dict[str, OtpTemplate] = field(default_factory=dict)
    signatures: dict[int, SignatureRecord] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    scheduled: list[dict[str, Any]] = field(default_factory=list)
    next_template_id: int = 1001
    next_signature_id: int = 2001
    next_serial: int = 1


def is_phone(target: str) -> bool:
    return bool(_PHONE.match(target))


def is_email(target: str) -> bool:
    return bool(_EMAIL.match(target))


def render(content: str, params: Mapping[str, Any]) -> str:
    """As the send APIs do: ``{{var}}`` takes its param; without one it stays."""

    def substitute(match: re.Match[str]) -> str:
        value = params.get(match.group(1))
        return match.group(0) if value is None else str(value)

    return _VARIABLE.sub(substitute, content)


class Store:
    def __init__(
        self,
        settings: Settings | None = None,
        path: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings or Settings()
        self.path = path
        self.clock = clock
        self._lock = threading.RLock()
        self._state = _State()
        self._dirty = False
        self._names: dict[str, set[int]] | None = None  # ids by name, built when first asked
        # while nothing changes and no review is pending (the clock settles
        # one): the templates in id order, and answers computed from them
        self._settled: list[Template] | None = None
        self._remembered: dict[Hashable, Any] = {}
        if path is not None and path.exists():
            self._load(path)

    def _changed(self) -> None:
        self._dirty = True
        self._settled = None
        self._remembered.clear()

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, kept for ``key`` until anything changes; not kept
        while a review is pending."""
        with self._lock:
            if key in self._remembered:
                found: T = self._remembered[key]
                return found
            value = compute()
            if self._settled is not None and len(self._remembered) < 10_000:
                self._remembered[key] = value
            return value

    def transaction(self) -> threading.RLock:
        """Hold while reading, checking and writing as one step."""
        return self._lock

    # ----------------------------------------------------------- persistence
    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            read = _template if data.get("version") == STATE_VERSION else _legacy_template
            self._state = _State(
                templates={template.id: template for template in map(read, data["templates"])},
                otp_templates={t["id"]: OtpTemplate(**t) for t in data.get("otp_templates", [])},
                signatures={s.id: s for s in map(_signature, data.get("signatures", []))},
                messages=data["messages"],
                scheduled=data["scheduled"],
                next_template_id=data["next_template_id"],
                next_signature_id=data.get("next_signature_id", 2001),
                next_serial=data["next_serial"],
            )
        except OSError as error:
            raise ValueError(f"{path}: cannot read: {error.strerror}") from None
        except json.JSONDecodeError as error:
            reason = f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
            raise ValueError(f"{path}: not a sandbox state file ({reason})") from None
        except (ValueError, KeyError, TypeError, AttributeError):
            reason = "not the JSON object the sandbox writes"
            raise ValueError(f"{path}: not a sandbox state file ({reason})") from None

    def flush(self) -> None:
        """Write the state file (atomically) if anything changed."""
        with self._lock:
            if self.path is None or not self._dirty:
                return
            state = self._state
            text = json.dumps(
                {
                    "version": STATE_VERSION,
                    "templates": [asdict(t) for t in state.templates.values()],
                    "otp_templates": [asdict(t) for t in state.otp_templates.values()],
                    "signatures": [asdict(s) for s in state.signatures.values()],
                    "messages": state.messages,
                    "scheduled": state.scheduled,
                    "next_template_id": state.next_template_id,
                    "next_signature_id": state.next_signature_id,
                    "next_serial": state.next_serial,
                },
                ensure_ascii=False,
            )
            self._dirty = False
        write_atomic(self.path, text)

    def serial(self) -> str:
        """A service-like 19-digit id for plans, messages and tasks."""
        with self._lock:
            self._state.next_serial += 1
            return str(1972484198153367552 + self._state.next_serial)

    # ---------------------------------------------------------------- review
    def _due(self, record: Template | SignatureRecord) -> bool:
        """Whether a pending review's delay has passed."""
        if record.submitted_at is None or record.review is not Review.PENDING:
            return False
        return self.clock() >= record.submitted_at + self.settings.review_delay

    def _verdict(self, text: str, reject_message: str | None) -> dict[str, Any]:
        """The review fields of a decision on ``text``: approved unless
        ``reject_message`` is given or a review rule matches."""
        if reject_message is None:
            matching = (r.message for r in self.settings.reject if re.search(r.pattern, text))
            reject_message = next(matching, None)
        review = Review.APPROVED if reject_message is None else Review.REJECTED
        return {"review": review, "review_message": reject_message or ""}

    def _reviewed(self, template: Template) -> Template:
        """Resolve a pending review whose delay has passed."""
        return self.decide(template, None) if self._due(template) else template

    def decide(self, template: Template, reject_message: str | None) -> Template:
        """Approve (``reject_message`` None, unless a review rule matches) or reject."""
        return self.put(replace(template, **self._verdict(template.content, reject_message)))

    # ------------------------------------------------------------ signatures
    def _reviewed_signature(self, signature: SignatureRecord) -> SignatureRecord:
        """Resolve a pending review whose delay has passed (as for templates)."""
        return self.decide_signature(signature, None) if self._due(signature) else signature

    def decide_signature(
        self, signature: SignatureRecord, reject_message: str | None
    ) -> SignatureRecord:
        """Approve (unless a review rule matches the name) or reject."""
        return self.put_signature(
            replace(signature, **self._verdict(signature.name, reject_message))
        )

    def signatures(self) -> list[SignatureRecord]:
        with self._lock:
            return [self._reviewed_signature(s) for s in self._state.signatures.values()]

    def find_signature(self, signature_id: int) -> SignatureRecord | None:
        with self._lock:
            found = self._state.signatures.get(signature_id)
            return None if found is None else self._reviewed_signature(found)

    def create_signature(self, name: str) -> SignatureRecord:
        """A new signature, filed for review."""
        with self._lock:
            now = self.clock()
            created = SignatureRecord(
                self._state.next_signature_id, name, created=now, updated=now, submitted_at=now
            )
            self._state.next_signature_id += 1
            return self._reviewed_signature(self.put_signature(created))

    def put_signature(self, signature: SignatureRecord) -> SignatureRecord:
        with self._lock:
            self._state.signatures[signature.id] = signature
            self._dirty = True
            return signature

    def delete_signature(self, signature_id: int) -> None:
        with self._lock:
            del self._state.signatures[signature_id]
            self._dirty = True

    # ------------------------------------------------------------- templates
    def templates(self) -> list[Template]:
        """Every template in id order, reviews resolved."""
        with self._lock:
            if self._settled is not None:
                return list(self._settled)
            found = sorted(
                (self._reviewed(t) for t in list(self._state.templates.values())),
                key=lambda t: t.id,
            )
            if all(t.review is not Review.PENDING for t in found):
                self._settled = found
            return list(found)

    def find(self, template_id: int) -> Template | None:
        with self._lock:
            template = self._state.templates.get(template_id)
            return None if template is None else self._reviewed(template)

    def find_by_name(self, name: str) -> Template | None:
        with self._lock:
            for template in self._state.templates.values():
                if template.name == name:
                    return self._reviewed(template)
            return None

    def name_taken(self, name: str, own_id: int | None) -> bool:
        with self._lock:
            if self._names is None:
                self._names = {}
                for template in self._state.templates.values():
                    self._names.setdefault(template.name, set()).add(template.id)
            return any(found != own_id for found in self._names.get(name, ()))

    def create(self, draft: Draft, submit: bool = False) -> Template:
        """A new template with the next id; filed for review if ``submit``."""
        with self._lock:
            now = self.clock()
            template = Template(
                self._state.next_template_id,
                draft.name,
                draft.kind,
                draft.content,
                draft.signature_id,
                draft.signature_position,
                created=now,
                updated=now,
                country_codes=draft.country_codes,
            )
            if submit:
                template = template.submitted(now)
            return self._reviewed(self.put(template))

    def next_id(self) -> int:
        """The id :meth:`create` would give now."""
        with self._lock:
            return self._state.next_template_id

    def put(self, template: Template) -> Template:
        """Store ``template`` under its id (new or replacing)."""
        with self._lock:
            self._forget_name(template.id)
            if self._names is not None:
                self._names.setdefault(template.name, set()).add(template.id)
            self._state.templates[template.id] = template
            self._state.next_template_id = max(self._state.next_template_id, template.id + 1)
            self._changed()
            return template

    def delete(self, template_id: int) -> None:
        with self._lock:
            self._forget_name(template_id)
            del self._state.templates[template_id]
            self._changed()

    def _forget_name(self, template_id: int) -> None:
        old = self._state.templates.get(template_id)
        if old is not None and self._names is not None:
            self._names[old.name].discard(template_id)

    def used_by_schedule(self, template_id: int) -> bool:
        """Whether a scheduled send not yet due uses the template."""
        now = self.clock()
        with self._lock:
            return any(
                plan["template_id"] == template_id and plan["schedule_time"] > now
                for plan in self._state.scheduled
            )

    # ----------------------------------------------------------------- sends
    def add_otp_templates(self, templates: Sequence[Any]) -> int:
        """Add OTP templates: ``{"id": "login-code", "content": "Code {{code}}"}``."""
        with self._lock:
            for item in templates:
                if not isinstance(item, dict) or set(item) != {"id", "content"}:
                    raise ValueError('an OTP template is {"id": "...", "content": "..."}')
                identifier, content = item["id"], item["content"]
                if (
                    not isinstance(identifier, str)
                    or not identifier
                    or not isinstance(content, str)
                ):
                    raise ValueError("an OTP template's id and content are non-empty strings")
                if identifier in self._state.otp_templates:
                    raise ValueError(f"OTP template {identifier!r} exists")
                self._state.otp_templates[identifier] = OtpTemplate(identifier, content)
            self._changed()
            return len(templates)

    def find_otp(self, template_id: str) -> OtpTemplate | None:
        with self._lock:
            return self._state.otp_templates.get(template_id)

    def schedule(self, task_id: int, template_id: int, schedule_time: int) -> None:
        with self._lock:
            self._state.scheduled.append(
                {"task_id": task_id, "template_id": template_id, "schedule_time": schedule_time}
            )
            self._changed()

    def record(self, message: dict[str, Any]) -> None:
        """Keep one sent message (``time`` is when it was sent)."""
        with self._lock:
            self._state.messages.append(message)
            self._changed()

    def sent_within(self, seconds: float) -> Iterator[dict[str, Any]]:
        """The messages sent less than ``seconds`` ago, newest first (hold the
        transaction while iterating)."""
        now = self.clock()
        for message in reversed(self._state.messages):
            if now - message["time"] >= seconds:
                return
            yield message

    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._state.messages)

    def reset(self) -> None:
        with self._lock:
            self._state = _State()
            self._names = None
            self._changed()


def _template(record: Mapping[str, Any]) -> Template:
    return Template(
        **{
            **record,
            "kind": Kind(record["kind"]),
            "signature_position": Position(record["signature_position"]),
            "review": Review(record["review"]),
            "country_codes": tuple(record.get("country_codes", ())),
        }
    )


def _signature(record: Mapping[str, Any]) -> SignatureRecord:
    return SignatureRecord(**{**record, "review": Review(record["review"])})


_LEGACY_KINDS = {0: Kind.VERIFICATION, 1: Kind.NOTIFICATION, 2: Kind.MARKETING}
_LEGACY_REVIEWS = {
    -2: Review.NOT_SUBMITTED,
    0: Review.PENDING,
    1: Review.APPROVED,
    -1: Review.REJECTED,
}


def _legacy_template(record: Mapping[str, Any]) -> Template:
    """A template of a state file written before ``version`` 2."""
    return Template(
        id=record["template_id"],
        name=record["template_name"],
        kind=_LEGACY_KINDS[record["template_type"]],
        content=record["template_content"],
        signature_id=record.get("sign_id"),
        signature_position=Position.SUFFIX if record.get("sign_pos") == 1 else Position.PREFIX,
        review=_LEGACY_REVIEWS[record["approval_status"]],
        review_message=record.get("approval_message", ""),
        created=record["create_time"],
        updated=record["update_time"],
        submitted_at=record.get("submitted_at"),
    )
