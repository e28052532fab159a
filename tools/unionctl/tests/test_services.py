"""What `unionctl up` starts: one process per service, or (`--split`) an API and a worker."""

from pathlib import Path

from unionctl.services import console_spec, service_specs


def test_split_runs_an_api_and_a_worker_of_each_service_and_the_console_calls_the_apis(
    tmp_path: Path,
) -> None:
    specs = service_specs(data_dir=tmp_path, nats_url="nats://127.0.0.1:1", environ={}, split=True)
    shown = [(s.name, s.port, s.env["SERVICE_ROLE"], s.app) for s in specs]
    assert shown[:2] == [
        ("members", 8101, "api", "members.main:app"),
        ("members-worker", 8151, "worker", "members.main:app"),
    ]
    assert len(specs) == 8
    for api, worker in zip(specs[::2], specs[1::2], strict=True):
        assert worker.env["DATABASE_URL"] == api.env["DATABASE_URL"]  # one log, two processes
        assert worker.env["SERVICE_NAME"] == api.env["SERVICE_NAME"] == api.name
    console = console_spec(data_dir=tmp_path, services=specs, environ={})
    assert console.env["CONSOLE_CLAIMS_URL"] == "http://127.0.0.1:8102"
    assert not any(k.endswith("_WORKER_URL") for k in console.env)


def test_by_default_each_service_is_one_process(tmp_path: Path) -> None:
    specs = service_specs(data_dir=tmp_path, nats_url="nats://127.0.0.1:1", environ={})
    assert [s.name for s in specs] == ["members", "claims", "relief", "outreach"]
    assert not any("SERVICE_ROLE" in s.env for s in specs)


def test_members_runs_on_the_c_allocator_unless_the_operator_says_otherwise(
    tmp_path: Path,
) -> None:
    """PYTHONMALLOC=malloc lets members give a bulk batch's memory back (union_events.heap);
    the other services keep Python's allocator; an operator's own PYTHONMALLOC wins."""
    specs = service_specs(data_dir=tmp_path, nats_url="nats://127.0.0.1:1", environ={}, split=True)
    assert {s.name: s.env.get("PYTHONMALLOC") for s in specs if not s.module} == {
        "members": "malloc",
        "claims": None,
        "relief": None,
        "outreach": None,
    }
    assert next(s for s in specs if s.name == "members-worker").env["PYTHONMALLOC"] == "malloc"
    own = service_specs(
        data_dir=tmp_path, nats_url="nats://127.0.0.1:1", environ={"PYTHONMALLOC": "pymalloc"}
    )
    assert {s.env["PYTHONMALLOC"] for s in own} == {"pymalloc"}
