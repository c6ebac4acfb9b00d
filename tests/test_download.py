"""The real download code against a local HTTP server (127.0.0.1 only)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from scripts.download_customs import DownloadError, SourceConfig, download_file, download_year

PAYLOAD = b"PK\x03\x04 fixture zip bytes " * 500


class FixtureHandler(BaseHTTPRequestHandler):
    """Serves a good file, a slow one, a missing one and a truncated one."""

    requests_seen: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:
        name = self.path.split("/")[-1].split("?")[0]
        self.requests_seen[name] = self.requests_seen.get(name, 0) + 1
        if name.startswith("missing"):
            self.send_error(404, "Not Found")
            return
        if name.startswith("flaky") and self.requests_seen[name] == 1:
            self.send_error(503, "Service Unavailable")
            return
        if name.startswith("slow"):
            time.sleep(1.5)
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        if name.startswith("truncated"):
            self.send_header("Content-Length", str(len(PAYLOAD) * 2))
            self.end_headers()
            self.wfile.write(PAYLOAD)
            self.wfile.flush()
            self.close_connection = True
            return
        self.send_header("Content-Length", str(len(PAYLOAD)))
        self.end_headers()
        self.wfile.write(PAYLOAD)


@pytest.fixture()
def server() -> Iterator[str]:
    FixtureHandler.requests_seen = {}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FixtureHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def config(url_template: str, timeout: float = 5.0, retries: int = 2) -> SourceConfig:
    return SourceConfig(url_template, "region_{region_code}_{year}.zip", timeout, retries, 0.05)


def test_download_records_url_size_checksum_and_time(server: str, tmp_path: Path) -> None:
    records = download_year(2024, tmp_path, config(server + "/region_{region_code}.zip"),
                            regions=["24", "11"])  # fmt: skip
    folder = tmp_path / "2024"
    assert sorted(p.name for p in folder.iterdir()) == [
        "downloads.jsonl",
        "region_11_2024.zip",
        "region_24_2024.zip",
    ]
    assert (folder / "region_24_2024.zip").read_bytes() == PAYLOAD
    logged = [json.loads(line) for line in (folder / "downloads.jsonl").read_text().splitlines()]
    assert logged[0]["url"] == server + "/region_24.zip"
    assert logged[0]["size_bytes"] == len(PAYLOAD) == records[0].size_bytes
    assert logged[0]["sha256"] == hashlib.sha256(PAYLOAD).hexdigest()
    assert logged[0]["downloaded_at"].startswith("20")


def test_missing_file_fails_at_once_and_writes_nothing(server: str, tmp_path: Path) -> None:
    target = tmp_path / "missing.zip"
    with pytest.raises(DownloadError, match="HTTP 404"):
        download_file(server + "/missing.zip", target, config(""))
    assert FixtureHandler.requests_seen["missing.zip"] == 1  # a 404 is not retried
    assert list(tmp_path.iterdir()) == []


def test_truncated_file_is_retried_then_refused(server: str, tmp_path: Path) -> None:
    target = tmp_path / "truncated.zip"
    with pytest.raises(DownloadError, match=r"failed after 2 attempts \(truncated"):
        download_file(server + "/truncated.zip", target, config(""))
    assert FixtureHandler.requests_seen["truncated.zip"] == 2
    assert list(tmp_path.iterdir()) == []


def test_slow_server_times_out_and_nothing_is_kept(server: str, tmp_path: Path) -> None:
    target = tmp_path / "slow.zip"
    with pytest.raises(DownloadError, match="failed after 2 attempts"):
        download_file(server + "/slow.zip", target, config("", timeout=0.3))
    assert list(tmp_path.iterdir()) == []


def test_slow_server_within_the_timeout_succeeds(server: str, tmp_path: Path) -> None:
    record = download_file(server + "/slow.zip", tmp_path / "slow.zip", config("", timeout=5))
    assert record.size_bytes == len(PAYLOAD)


def test_server_error_is_retried(server: str, tmp_path: Path) -> None:
    record = download_file(server + "/flaky.zip", tmp_path / "flaky.zip", config(""))
    assert record.attempts == 2
    assert (tmp_path / "flaky.zip").read_bytes() == PAYLOAD
