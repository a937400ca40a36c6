"""`--config local` (or a path to local-models.yaml) on every command that sends requests (#27 item 1):
the run and the backend share one models config, the free local server is priced at 0, and an
unexpected error never reaches the user as a bare key name. Real SDK against the local server."""
from __future__ import annotations

import contextlib
import io
import json

import pytest
from generate_fixtures import generation, local_server, write_plan

from ogi_toolkit.cli import _message, main
from ogi_toolkit.config import LOCAL_MODELS_FILE


def ogi(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


@pytest.mark.parametrize("config", ["local", str(LOCAL_MODELS_FILE)])
def test_generate_judge_and_rewrite_take_the_local_config_and_pay_nothing(tmp_path, config):
    plan = write_plan(tmp_path / "plan.jsonl", [generation(i) for i in range(3)])
    data = tmp_path / "data"
    with local_server() as server:
        common = ["--base-url", server.url, "--config", config, "--no-progress"]
        generated = ogi("generate", str(plan), "--out", str(data), "--backend", "openai", *common)
        judged = ogi("judge", str(data), *common)
        rewritten = ogi("rewrite", str(plan), "--out", str(tmp_path / "rewritten.jsonl"), *common)
        billed = server.stats()["billed"]
    for code, out, err in (generated, judged, rewritten):
        assert code == 0, err
        assert "error" not in err and last_json(out)["spent_usd"] == 0.0  # the free server costs nothing
    assert last_json(generated[1])["done"] == 3 and last_json(judged[1])["judged"] == 3
    assert last_json(rewritten[1])["rewritten"] + last_json(rewritten[1])["retried"] == 3
    assert billed == 9  # three images, three judgments, three rewrites: each was really sent


def test_without_the_local_config_the_same_run_is_priced_at_openai_rates(tmp_path):
    plan = write_plan(tmp_path / "plan.jsonl", [generation(0)])
    with local_server() as server:
        code, out, _ = ogi("generate", str(plan), "--out", str(tmp_path / "data"), "--backend", "openai",
                           "--base-url", server.url, "--no-progress")
    assert code == 0 and last_json(out)["spent_usd"] > 0


def test_two_different_models_configs_for_one_run_are_refused_by_name(tmp_path):
    from ogi_toolkit.generate import run_plan

    openai_prices = LOCAL_MODELS_FILE.with_name("models.yaml")
    with pytest.raises(ValueError, match="two different models configs"):
        run_plan([generation(0)], tmp_path, backend="openai", config="local", progress=False,
                 backend_options={"base_url": "http://127.0.0.1:9/v1", "config": str(openai_prices)})


def test_an_unexpected_key_error_shows_its_type_and_key_but_a_sentence_stays_as_it_is():
    assert _message(KeyError("config")) == "KeyError: 'config'"
    assert _message(KeyError("no pool 'fruit'; close: ['fruits']")) == "no pool 'fruit'; close: ['fruits']"
    assert _message(ValueError("")) == "ValueError"
