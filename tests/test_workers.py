"""`make run WORKERS=2`: Odoo's prefork server serves the addon and its cron
worker runs the addon's scheduled actions.

The server is started as `make run` starts it once its database is ready
(.ci/server.sh, the same options), with 2 HTTP workers, 1 cron worker and the
websocket (gevent) process, on free ports, on a copy of the test database
(make test's, CUSTOMER_RELATIONS_TEST_DB, else pytest's): the cron worker and
the requests commit, which must not change the data the rest of the suite
runs on. Over HTTP, as the web client does, the test logs in as admin, opens
Key Accounts (action, views, list) and confirms a mass of quotations, whose
support plans only the cron worker creates, woken at once by the addon's
trigger. The server's whole process group is stopped at the end, pass or
fail, and the test fails if any of its processes is left.
"""

import ast
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import closing, suppress
from pathlib import Path

import psycopg2
import pytest
import requests
from lxml import etree

import odoo
from odoo.tools import SQL

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / ".ci" / "server.sh"
HTTP_WORKERS = 2
# one more than SUPPORT_PLAN_SYNC_LIMIT: the plans go to the cron worker
MASS_CONFIRMATION = 21
TIMEOUT = 120  # seconds, for each wait
LOG_LINE = re.compile(
    r"^\S+ \S+ (?P<pid>\d+) (?P<level>[A-Z]+) (?P<db>\S+) (?P<msg>.*)"
)
LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_members(pgid):
    """Pids of the live (not zombie) processes of the process group."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            state, pgrp = fields[0], int(fields[2])
            if pgrp == pgid and state not in ("Z", "X"):
                pids.append(int(stat.parent.name))
    return sorted(pids)


def wait_for(condition, what, server=None, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server and server.proc.poll() is not None:
            pytest.fail(
                f"the server stopped while waiting for {what}:\n{server.tail()}"
            )
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(
        f"no {what} after {timeout} s" + (f":\n{server.tail()}" if server else "")
    )


def admin_cursor(dbname="postgres"):
    cr = odoo.sql_db.db_connect(dbname).cursor()
    cr._cnx.autocommit = True
    return closing(cr)


@pytest.fixture
def workers_db():
    """A copy of the test database (and hard links to its filestore) whose
    scheduled actions are all due tomorrow: the cron worker runs only what
    the test triggers. Dropped afterwards."""
    source = (
        os.environ.get("CUSTOMER_RELATIONS_TEST_DB") or odoo.tools.config["db_name"]
    )
    name = f"{source}_w{uuid.uuid4().hex[:6]}"
    # CREATE DATABASE ... TEMPLATE needs the source without other sessions:
    # release this process's pooled connections (reopened when needed)
    odoo.sql_db.close_db(source)
    with admin_cursor() as cr:
        deadline = time.monotonic() + 60
        while True:
            try:
                cr.execute(
                    SQL(
                        "CREATE DATABASE %s TEMPLATE %s",
                        SQL.identifier(name),
                        SQL.identifier(source),
                    )
                )
                break
            except psycopg2.errors.ObjectInUse:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
    filestore = Path(odoo.tools.config.filestore(name))
    try:
        source_filestore = Path(odoo.tools.config.filestore(source))
        if source_filestore.is_dir():
            shutil.copytree(source_filestore, filestore, copy_function=os.link)
        with admin_cursor(name) as cr:
            cr.execute(
                "UPDATE ir_cron SET nextcall = "
                "(now() AT TIME ZONE 'UTC') + interval '1 day'"
            )
            cr.execute("DELETE FROM ir_cron_trigger")
        yield name
    finally:
        odoo.sql_db.close_db(name)
        with admin_cursor() as cr:
            cr.execute(
                SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(name))
            )
        shutil.rmtree(filestore, ignore_errors=True)


class PreforkServer:
    def __init__(self, db, log_dir):
        self.db = db
        self.log = log_dir / "odoo.log"
        self.output = log_dir / "odoo.out"
        # CUSTOMER_RELATIONS_TEST_PORT: the HTTP port, the websocket on the next
        fixed_port = os.environ.get("CUSTOMER_RELATIONS_TEST_PORT")
        port = int(fixed_port) if fixed_port else free_port()
        gevent_port = port + 1 if fixed_port else free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.gevent_url = f"http://127.0.0.1:{gevent_port}"
        self.env = {
            **os.environ,
            "ODOO_CONF": odoo.tools.config.rcfile or os.environ["ODOO_CONF"],
            "VENV": str(Path(sys.executable).parent.parent),
            "DB": db,
            "PORT": str(port),
            "GEVENT_PORT": str(gevent_port),
            "WORKERS": str(HTTP_WORKERS),
            "CRON_THREADS": "1",
            "HTTP_INTERFACE": "127.0.0.1",
        }
        self.proc = None

    def start(self):
        with self.output.open("wb") as output:
            self.proc = subprocess.Popen(
                ["bash", str(SERVER), f"--logfile={self.log}", "--log-level=info"],
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one
            )

    def stop(self):
        """Stop the whole process group (as Ctrl-C does), by force when it
        does not stop in time; returns the processes left."""
        pgid = self.proc.pid
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while group_members(pgid) and time.monotonic() < deadline:
            with suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=0.2)
        if group_members(pgid):
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            time.sleep(1)
        with suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        return group_members(pgid)

    def log_lines(self):
        if not self.log.exists():
            return []
        return self.log.read_text(encoding="utf-8", errors="replace").splitlines()

    def tail(self, count=40):
        output = self.output.read_text(errors="replace") if self.output.exists() else ""
        return "\n".join([*output.splitlines()[-10:], *self.log_lines()[-count:]])

    def worker_pids(self, kind):
        found = re.compile(rf"Worker {kind} \((\d+)\) alive")
        return {int(m[1]) for line in self.log_lines() if (m := found.search(line))}

    def healthy(self, url):
        with suppress(requests.RequestException):
            return requests.get(f"{url}/web/health", timeout=5).status_code == 200
        return False


@pytest.fixture
def prefork_server(workers_db, tmp_path):
    server = PreforkServer(workers_db, tmp_path)
    server.start()
    try:
        yield server
    finally:
        left = server.stop()
        assert not left, f"processes of the server still run after it stopped: {left}"


class WebClient:
    """JSON-RPC calls as Odoo's web client makes them, in one session."""

    def __init__(self, url):
        self.url = url
        self.session = requests.Session()
        self.context = {}

    def rpc(self, route, params):
        response = self.session.post(
            f"{self.url}{route}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        data = response.json()
        assert "error" not in data, f"{route}: {data['error']['data']['message']}"
        return data["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def login(self, db, login, password):
        info = self.rpc(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.context = info["user_context"]
        return info["uid"]


def list_specification(views):
    """The web_search_read specification of the list view, as the web client
    makes it: each column, with the display name of related records."""
    arch = etree.fromstring(views["views"]["list"]["arch"])
    fields = views["models"]["res.partner"]["fields"]
    relational = ("many2one", "one2many", "many2many")
    return {
        node.get("name"): (
            {"fields": {"display_name": {}}}
            if fields[node.get("name")]["type"] in relational
            else {}
        )
        for node in arch.iter("field")
        if not any(parent.tag == "field" for parent in node.iterancestors())
    }


def open_key_accounts(client, name):
    """Open Customer Relations > Key Accounts, list view; return the records
    of the action and those found by searching ``name``."""
    action = client.rpc(
        "/web/action/load",
        {"action_id": "customer_relations.res_partner_action_key_accounts"},
    )
    assert action["res_model"] == "res.partner"
    search_view = action["search_view_id"] and action["search_view_id"][0]
    views = client.call(
        "res.partner",
        "get_views",
        views=[*action["views"], [search_view, "search"]],
        options={"action_id": action["id"], "load_filters": True, "toolbar": True},
    )
    assert {"kanban", "list", "form", "search"} <= set(views["views"])
    context = {**client.context, **ast.literal_eval(action["context"])}
    domain = ast.literal_eval(action["domain"])

    def search(extra=()):
        return client.call(
            "res.partner",
            "web_search_read",
            specification=list_specification(views),
            domain=[*domain, *extra],
            offset=0,
            limit=80,
            order="",
            count_limit=10001,
            context=context,
        )

    return search(), search([("name", "ilike", name)])


def test_prefork_server_with_cron_worker(prefork_server):
    server = prefork_server
    wait_for(lambda: server.healthy(server.url), "answer over HTTP", server)
    wait_for(lambda: server.healthy(server.gevent_url), "websocket process", server)
    wait_for(
        lambda: (
            len(server.worker_pids("WorkerHTTP")) == HTTP_WORKERS
            and len(server.worker_pids("WorkerCron")) == 1
        ),
        f"{HTTP_WORKERS} HTTP workers and 1 cron worker",
        server,
    )
    cron_pids = server.worker_pids("WorkerCron")

    client = WebClient(server.url)
    assert client.login(server.db, "admin", "admin"), "admin / admin refused"
    tag = uuid.uuid4().hex[:8]
    account = client.call(
        "res.partner",
        "create",
        {"name": f"Prefork Account {tag}", "is_company": True, "customer_rank": 1},
    )

    all_accounts, found = open_key_accounts(client, f"Prefork Account {tag}")
    assert all_accounts["length"] >= 1 and all_accounts["records"]
    assert [record["id"] for record in found["records"]] == [account]

    [cron] = client.call(
        "ir.model.data",
        "search_read",
        [
            ("module", "=", "customer_relations"),
            ("name", "=", "ir_cron_support_plan_create"),
        ],
        fields=["res_id"],
    )
    cron_id = cron["res_id"]
    [before] = client.call("ir.cron", "read", [cron_id], ["lastcall"])
    product = client.call(
        "product.product",
        "create",
        {"name": f"Prefork Service {tag}", "type": "service", "list_price": 100.0},
    )
    orders = client.call(
        "sale.order",
        "create",
        [
            {
                "partner_id": account,
                "order_line": [(0, 0, {"product_id": product, "product_uom_qty": 1})],
            }
            for _i in range(MASS_CONFIRMATION)
        ],
    )
    client.call("sale.order", "action_confirm", orders)

    def plans_created():
        pending = client.call(
            "sale.order",
            "search_count",
            [("id", "in", orders), ("support_plan_pending", "=", True)],
        )
        plans = client.call(
            "customer.support.plan", "search_count", [("order_id", "in", orders)]
        )
        return not pending and plans == MASS_CONFIRMATION

    # the trigger wakes the cron worker at once, not at its next minute
    wait_for(plans_created, "support plans from the cron worker", server, timeout=50)
    [after] = client.call("ir.cron", "read", [cron_id], ["lastcall"])
    assert after["lastcall"] and after["lastcall"] != before["lastcall"]
    done = [
        match
        for line in server.log_lines()
        if (match := LOG_LINE.match(line))
        and re.search(rf"ir_cron: Job .* \({cron_id}\) done in", match["msg"])
    ]
    assert done, f"the job's run is not in the log:\n{server.tail()}"
    assert {int(match["pid"]) for match in done} <= cron_pids
    assert {match["db"] for match in done} == {server.db}

    problems = [line for line in server.log_lines() if LOG_PROBLEM.match(line)]
    assert not problems, "\n".join(problems)
