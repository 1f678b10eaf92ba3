"""The mailbox readers: a real Maildir in a temporary folder, and the real imaplib client against a small IMAP
server in a thread (just enough of IMAP4rev1 for what the reader sends)."""

from __future__ import annotations

import contextlib
import imaplib
import mailbox
import re
import socketserver
import threading
from pathlib import Path

import pytest

from apps.helpdesk.mail import mailboxes
from apps.helpdesk.mail.mailboxes import MailboxError, done, failed, read_imap, read_maildir
from apps.helpdesk.mail.parsing import EmailTooLarge, parse_email

FIXTURES = Path(__file__).parent


def _message(number: int, body: str = "") -> bytes:
    return (
        f"From: sender{number}@example.com\r\nTo: support@help.example.org\r\nSubject: Message {number}\r\n"
        f"Message-ID: <m{number}@example.com>\r\n\r\nBody {number}{body}\r\n"
    ).encode()


def _maildir(tmp_path: Path, count: int) -> tuple[Path, mailbox.Maildir]:
    path = tmp_path / "Maildir"
    box = mailbox.Maildir(path, create=True)
    for number in range(count):
        message = mailbox.MaildirMessage(_message(number))  # delivered to new/, as a delivery agent does
        box.add(message)
    return path, box


def _files(path: Path, subdir: str) -> list[str]:
    return sorted(entry.name for entry in (path / subdir).iterdir())


# --- Maildir --------------------------------------------------------------------------------------------------


def test_maildir_yields_new_messages_and_done_moves_them_to_cur_as_seen(tmp_path):
    path, _box = _maildir(tmp_path, 3)
    items = []
    for item in read_maildir(path, limit=10, max_bytes=10_000):
        items.append(item)
        assert parse_email(item.raw, max_bytes=10_000, max_attachments=1).subject.startswith("Message ")
        done(item)
    assert sorted(parse_email(i.raw, max_bytes=10_000, max_attachments=1).subject for i in items) == [
        "Message 0",
        "Message 1",
        "Message 2",
    ]
    assert all(item.state == "done" and not item.truncated for item in items)
    assert _files(path, "new") == []
    cur = _files(path, "cur")
    assert len(cur) == 3 and all(name.endswith(":2,S") for name in cur)
    # The next run finds nothing to read.
    assert list(read_maildir(path, limit=10, max_bytes=10_000)) == []


def test_maildir_failed_keeps_the_message_flagged_and_does_not_read_it_again(tmp_path):
    path, _box = _maildir(tmp_path, 2)
    for item in read_maildir(path, limit=10, max_bytes=10_000):
        if b"Message 0" in item.raw:
            failed(item)
        else:
            done(item)
    cur = _files(path, "cur")
    assert sorted(name.rpartition(":")[2] for name in cur) == ["2,F", "2,S"]
    assert list(read_maildir(path, limit=10, max_bytes=10_000)) == []
    # The failed message is intact, for a person to look at.
    flagged = next(name for name in cur if name.endswith(",F"))
    assert b"Message 0" in (path / "cur" / flagged).read_bytes()


def test_maildir_done_can_delete(tmp_path):
    path, _box = _maildir(tmp_path, 2)
    for item in read_maildir(path, limit=10, max_bytes=10_000, delete=True):
        done(item)
    assert _files(path, "new") == [] and _files(path, "cur") == []


def test_maildir_reads_a_bounded_number_per_run(tmp_path):
    path, _box = _maildir(tmp_path, 5)
    first = list(read_maildir(path, limit=2, max_bytes=10_000))
    assert len(first) == 2
    for item in first:
        done(item)
    second = list(read_maildir(path, limit=2, max_bytes=10_000))
    assert len(second) == 2
    assert {i.key for i in first}.isdisjoint({i.key for i in second})


def test_maildir_batch_size_defaults_to_the_setting(tmp_path, settings):
    settings.HELPDESK_MAIL_BATCH = 3
    path, _box = _maildir(tmp_path, 5)
    assert len(list(read_maildir(path, max_bytes=10_000))) == 3


def test_maildir_rereads_a_message_left_unfinished(tmp_path):
    """A run that died between reading and `done` leaves the message to be read again (replay is the caller's)."""
    path, _box = _maildir(tmp_path, 1)
    [item] = list(read_maildir(path, limit=10, max_bytes=10_000))
    [again] = list(read_maildir(path, limit=10, max_bytes=10_000))
    assert again.key == item.key and again.raw == item.raw


def test_maildir_reads_unflagged_messages_in_cur_and_skips_seen_or_trashed_ones(tmp_path):
    path, box = _maildir(tmp_path, 0)
    for number, (subdir, flags) in enumerate([("cur", ""), ("cur", "S"), ("cur", "T"), ("cur", "RS"), ("cur", "P")]):
        message = mailbox.MaildirMessage(_message(number))
        message.set_subdir(subdir)
        message.set_flags(flags)
        box.add(message)
    subjects = sorted(
        parse_email(i.raw, max_bytes=10_000, max_attachments=1).subject
        for i in read_maildir(path, limit=10, max_bytes=10_000)
    )
    assert subjects == ["Message 0", "Message 4"]


def test_maildir_truncates_an_oversized_message_so_the_parser_refuses_it(tmp_path):
    path, box = _maildir(tmp_path, 0)
    box.add(mailbox.MaildirMessage(_message(1, body="x" * 50_000)))
    [item] = list(read_maildir(path, limit=10, max_bytes=1_000))
    assert item.truncated and len(item.raw) == 1_001 and item.size > 50_000
    with pytest.raises(EmailTooLarge):
        parse_email(item.raw, max_bytes=1_000, max_attachments=1)
    failed(item)
    assert list(read_maildir(path, limit=10, max_bytes=1_000)) == []


def test_maildir_is_created_when_missing(tmp_path):
    path = tmp_path / "new-maildir"
    assert list(read_maildir(path, limit=10, max_bytes=10_000)) == []
    assert {p.name for p in path.iterdir()} >= {"new", "cur", "tmp"}


def test_maildir_reads_the_eml_fixtures_byte_for_byte(tmp_path):
    path, _box = _maildir(tmp_path, 0)
    for fixture in sorted(FIXTURES.glob("*.eml")):
        (path / "new" / f"1700000000.{fixture.stem}.host").write_bytes(fixture.read_bytes())
    read = {item.key: item.raw for item in read_maildir(path, limit=100, max_bytes=10**6)}
    assert len(read) == len(list(FIXTURES.glob("*.eml")))
    for fixture in FIXTURES.glob("*.eml"):
        assert read[f"1700000000.{fixture.stem}.host"] == fixture.read_bytes()


# --- IMAP -----------------------------------------------------------------------------------------------------


class FakeImapState:
    def __init__(self, messages: list[bytes], *, password: str = "secret", folders=("INBOX",)) -> None:
        self.messages = [{"uid": 100 + n, "raw": raw, "flags": set()} for n, raw in enumerate(messages)]
        self.password = password
        self.folders = folders
        self.commands: list[str] = []
        self.logged_out = False


class FakeImapHandler(socketserver.StreamRequestHandler):
    state: FakeImapState

    def send(self, line: str | bytes) -> None:
        self.wfile.write((line.encode() if isinstance(line, str) else line) + b"\r\n")

    def handle(self) -> None:
        state = self.server.state  # type: ignore[attr-defined]
        self.send("* OK fake IMAP4rev1 ready")
        while line := self.rfile.readline():
            tag, _space, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _space, args = rest.partition(" ")
            command = command.upper()
            state.commands.append(f"{command} {args}".strip())
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
            elif command == "LOGIN":
                if args.split(" ", 1)[1].strip('"') != state.password:
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
                    continue
            elif command == "SELECT":
                if args.strip('"') not in state.folders:
                    self.send(f"{tag} NO [NONEXISTENT] No such folder")
                    continue
                self.send(f"* {len(state.messages)} EXISTS")
            elif command == "UID":
                self.uid(tag, args, state)
                continue
            elif command in {"CLOSE", "EXPUNGE"}:
                state.messages = [m for m in state.messages if "\\Deleted" not in m["flags"]]
            elif command == "LOGOUT":
                state.logged_out = True
                self.send("* BYE")
                self.send(f"{tag} OK LOGOUT completed")
                return
            self.send(f"{tag} OK {command} completed")

    def uid(self, tag: str, args: str, state: FakeImapState) -> None:
        sub, _space, rest = args.partition(" ")
        sub = sub.upper()
        by_uid = {str(m["uid"]): (number, m) for number, m in enumerate(state.messages, start=1)}
        if sub == "SEARCH":
            assert rest.upper() == "UNSEEN UNFLAGGED"
            found = [str(m["uid"]) for m in state.messages if not m["flags"] & {"\\Seen", "\\Flagged"}]
            self.send("* SEARCH " + " ".join(found))
        elif sub == "FETCH":
            uid, _space, items = rest.partition(" ")
            match = re.fullmatch(r"\(RFC822\.SIZE BODY\.PEEK\[\]<0\.(\d+)>\)", items)
            assert match, items
            if uid in by_uid:
                number, message = by_uid[uid]
                body = message["raw"][: int(match.group(1))]
                self.send(f"* {number} FETCH (UID {uid} RFC822.SIZE {len(message['raw'])} BODY[]<0> {{{len(body)}}}")
                self.wfile.write(body)
                self.send(")")
        elif sub == "STORE":
            uid, operation, flags = rest.split(" ", 2)
            assert operation == "+FLAGS.SILENT", operation
            if uid in by_uid:
                by_uid[uid][1]["flags"] |= set(flags.strip("()").split())
        self.send(f"{tag} OK UID {sub} completed")


@contextlib.contextmanager
def fake_imap_server(state: FakeImapState):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeImapHandler)
    server.daemon_threads = True
    server.state = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _read(port: int, **kwargs):
    kwargs.setdefault("limit", 10)
    kwargs.setdefault("max_bytes", 10_000)
    return read_imap("127.0.0.1", port, "helpdesk", kwargs.pop("password", "secret"), ssl=False, **kwargs)


def test_imap_reads_unseen_messages_and_marks_them_seen_when_done():
    state = FakeImapState([_message(1), _message(2)])
    with fake_imap_server(state) as port:
        subjects = []
        for item in _read(port):
            subjects.append(parse_email(item.raw, max_bytes=10_000, max_attachments=1).subject)
            assert item.size == len(item.raw) and not item.truncated
            done(item)
        assert subjects == ["Message 1", "Message 2"]
        assert [m["flags"] for m in state.messages] == [{"\\Seen"}, {"\\Seen"}]
        assert state.logged_out
        # Fetching with BODY.PEEK leaves \Seen to `done`: the next run finds nothing.
        assert list(_read(port)) == []


def test_imap_message_left_unfinished_is_not_marked_and_is_read_again():
    state = FakeImapState([_message(1)])
    with fake_imap_server(state) as port:
        assert len(list(_read(port))) == 1
        assert state.messages[0]["flags"] == set()
        assert len(list(_read(port))) == 1


def test_imap_failed_flags_the_message_and_skips_it_next_time():
    state = FakeImapState([_message(1), _message(2)])
    with fake_imap_server(state) as port:
        for item in _read(port):
            (failed if b"Message 1" in item.raw else done)(item)
        assert [m["flags"] for m in state.messages] == [{"\\Flagged"}, {"\\Seen"}]
        assert list(_read(port)) == []


def test_imap_reads_a_bounded_number_per_run():
    state = FakeImapState([_message(n) for n in range(5)])
    with fake_imap_server(state) as port:
        for item in _read(port, limit=2):
            done(item)
        assert sum("\\Seen" in m["flags"] for m in state.messages) == 2
        assert len(list(_read(port, limit=10))) == 3


def test_imap_delete_expunges_what_is_done():
    state = FakeImapState([_message(1), _message(2)])
    with fake_imap_server(state) as port:
        for item in _read(port, delete=True):
            done(item)
        assert state.messages == []


def test_imap_fetches_at_most_max_bytes_plus_one():
    state = FakeImapState([_message(1, body="y" * 20_000)])
    with fake_imap_server(state) as port:
        [item] = list(_read(port, max_bytes=500))
        assert len(item.raw) == 501 and item.size > 20_000 and item.truncated
        with pytest.raises(EmailTooLarge):
            parse_email(item.raw, max_bytes=500, max_attachments=1)


def test_imap_bad_password_or_folder_is_a_mailbox_error():
    state = FakeImapState([_message(1)])
    with fake_imap_server(state) as port:
        with pytest.raises(MailboxError):
            list(_read(port, password="wrong"))
        with pytest.raises(MailboxError):
            list(_read(port, folder="Nope"))
        assert state.logged_out


def test_imap_unreachable_server_is_a_mailbox_error():
    with fake_imap_server(FakeImapState([])) as port:
        pass  # the port is closed again
    with pytest.raises(MailboxError):
        list(read_imap("127.0.0.1", port, "u", "p", ssl=False, timeout=2))


def test_imap_factory_is_used_and_receives_the_tls_choice():
    calls = []
    state = FakeImapState([_message(1)])
    with fake_imap_server(state) as port:

        def factory(host, port_, *, ssl, timeout):
            calls.append((host, port_, ssl, timeout))
            return imaplib.IMAP4(host, port_, timeout=timeout)

        items = list(read_imap("127.0.0.1", port, "u", "secret", ssl=True, imap_factory=factory, limit=5, timeout=3))
    assert len(items) == 1
    assert calls == [("127.0.0.1", port, True, 3)]


def test_defaults_come_from_the_settings(settings):
    settings.HELPDESK_MAIL_BATCH = 7
    settings.HELPDESK_MAIL_MAX_BYTES = 1234
    assert mailboxes._limits(None, None) == (7, 1234)
    assert mailboxes._limits(2, 10) == (2, 10)


def test_imap_folder_with_a_space_is_selected_as_one_name():
    state = FakeImapState([_message(1)], folders=("Helpdesk Inbox",))
    with fake_imap_server(state) as port:
        assert len(list(_read(port, folder="Helpdesk Inbox"))) == 1
    assert 'SELECT "Helpdesk Inbox"' in state.commands
