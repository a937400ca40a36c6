"""``ogi serve`` under hostile requests (#22 item 7): every malformed request is a 4xx with the
API's error body (deeply nested JSON and a multipart body with a wrong boundary gave 500), and
the bodies of concurrent requests together stay under a budget (three 200 MB bodies took 1.45 GB):
past it a request gets 429 and the SDK sends it again."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
import uuid

from generate_fixtures import local_server

MiB = 1024**2


def _send(server, path: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict]:
    request = urllib.request.Request(server.url + path, data=body, method="POST",
                                     headers={"Content-Type": content_type, "Authorization": "Bearer sk-x"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _chat(content: str) -> bytes:
    return json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}]}).encode()


def test_malformed_requests_get_a_4xx_with_an_error_body_never_a_500():
    boundary = uuid.uuid4().hex
    field = f'--{boundary}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nhi\r\n'.encode()
    cases = {
        "deep JSON array": ("/chat/completions", b"[" * 100_000 + b"]" * 100_000, "application/json"),
        "deep JSON object": ("/images/generations", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
        "JSON nested past the limit": ("/chat/completions", _chat("x")[:-1] + b', "extra": ' + b"[" * 200
                                       + b"]" * 200 + b"}", "application/json"),
        "messages that are not objects": ("/chat/completions", b'{"model": "m", "messages": [1, 2]}', "application/json"),
        "wrong multipart boundary (edit)": ("/images/edits", field + f"--{boundary}--\r\n".encode(),
                                            "multipart/form-data; boundary=WRONG"),
        "wrong multipart boundary (file)": ("/files", field + f"--{boundary}--\r\n".encode(),
                                            "multipart/form-data; boundary=WRONG"),
        "multipart cut short": ("/images/edits", field[:-4], f"multipart/form-data; boundary={boundary}"),
    }
    with local_server() as server:
        for name, (path, body, content_type) in cases.items():
            status, answer = _send(server, path, body, content_type)
            assert 400 <= status < 500 and isinstance(answer["error"]["message"], str), (name, status, answer)
        assert _send(server, "/chat/completions", _chat("fine"))[0] == 200
        assert "500" not in server.stats()["by_status"]


def test_concurrent_large_bodies_stay_under_the_budget_and_are_answered_when_sent_again():
    import openai

    size, budget = 5 * MiB, 8 * MiB  # two bodies at once would pass the budget
    with local_server(max_request_mb=6, max_inflight_mb=8, latency_ms=400, retry_after_ms=400) as server:
        statuses, barrier = [], threading.Barrier(3)

        def send() -> None:
            barrier.wait()
            statuses.append(_send(server, "/chat/completions", _chat("x" * size))[0])

        threads = [threading.Thread(target=send) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(set(statuses)) == [200, 429] and statuses.count(200) >= 1, statuses
        assert server.routes.bodies.peak <= budget and server.routes.bodies.used == 0

        client = openai.OpenAI(api_key="sk-x", base_url=server.url, max_retries=10)
        answers = []

        def ask() -> None:
            reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "y" * size}])
            answers.append(reply.choices[0].message.content)

        threads = [threading.Thread(target=ask) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(answers) == 3 and server.routes.bodies.peak <= budget
