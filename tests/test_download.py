"""The real download code against a local HTTP server (127.0.0.1 only).

Region codes come from a small seed fixture written here (not the project's
seed, whose customs columns are being added separately).
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import tomllib
import urllib.parse
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from scripts.ingest.download import (
    DEFAULT_CONFIG,
    ConfigError,
    ContentError,
    DownloadError,
    DownloadSettings,
    RegionCodeError,
    check_region_codes,
    customs_region_codes,
    download_file,
    main,
    parse_config,
    read_config,
)
from scripts.ingest.layout import fixed_layout_for

PAYLOAD = b"PK\x03\x04 fixture bytes " * 500


def zip_of(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in members:
            archive.writestr(name, f"{name};E;3;2018;01;18;A01Z;0111;BE;406473;1210935\n" * 50)
    return buffer.getvalue()


#: What the fixture server publishes, by file name (the kiosque's by its ``fic`` parameter).
FILES: dict[str, bytes] = {
    "REGIONAL_CPF4PAYS.zip": zip_of("REGIONAL_CPF4PAYSE.txt", "REGIONAL_CPF4PAYSI.txt",
                                    "Libelle_A129.txt", "Departement_region.txt"),
    "NATIONAL_NC8PAYS.zip": zip_of("NATIONAL_NC8PAYSE.txt", "NATIONAL_NC8PAYSI.txt",
                                   "Libelle_NC8_2024.txt"),
    "Region_2019.zip": zip_of("Region_2019_Export.txt", "Region_2019_Import.txt"),
    "Region_2020.zip": zip_of("Region_2020_Export.txt", "Region_2020_Import.txt"),
    "National_2019.zip": zip_of("National_2019_Export.txt", "National_2019_Import.txt"),
    "Libelle_A129.txt": "A01Z;Produits de la culture et de l'élevage;200901;999912\n".encode(),
    "Libelle_PAYS.txt": b"AL;Albanie;197601;999912\n",
    "Departement_region.txt": b"45;Loiret;04;Centre-Val de Loire\r\n",
    "Libelle_NC8_2019.txt": b"01012100;Chevaux;1;Nombre;2012;9999;;;;;;\n",
    "wrong.zip": zip_of("readme.txt", "something_else.csv"),
    "flaky.zip": zip_of("REGIONAL_CPF4PAYSE.txt"),
    "busy.zip": zip_of("REGIONAL_CPF4PAYSE.txt"),
    "slow.zip": zip_of("REGIONAL_CPF4PAYSE.txt"),
}  # fmt: skip
HTML_PAGE = b"<!DOCTYPE html><html><body>Page introuvable</body></html>"


class FixtureHandler(BaseHTTPRequestHandler):
    """Serves the files above, and missing, flaky, busy, slow, truncated and HTML ones."""

    requests_seen: ClassVar[dict[str, int]] = {}
    paths_seen: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def _send(self, body: bytes, length: int | None = None, kind: str = "application/zip") -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.close_connection = True

    def do_GET(self) -> None:
        self.paths_seen.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        name = query["fic"][0] if "fic" in query else url.path.split("/")[-1]
        self.requests_seen[name] = self.requests_seen.get(name, 0) + 1
        if name.startswith("missing"):
            self.send_error(404, "Not Found")
        elif name.startswith("flaky") and self.requests_seen[name] == 1:
            self.send_error(503, "Service Unavailable")
        elif name.startswith("busy") and self.requests_seen[name] == 1:
            self.send_error(429, "Too Many Requests")
        elif url.path.startswith("/html/"):  # an error page served as if it were the file
            self._send(HTML_PAGE, len(HTML_PAGE), "text/html")
        elif name.startswith("truncated"):  # announces twice what it sends
            self._send(PAYLOAD, len(PAYLOAD) * 2)
        elif name.startswith("cut"):  # no length announced, half a zip sent
            body = FILES["REGIONAL_CPF4PAYS.zip"]
            self._send(body[: len(body) // 2])
        elif name.startswith("region_"):  # the kiosque's per-region zip
            body = zip_of(f"{name[:-4]}_departement.xls")
            self._send(body, len(body))
        elif name in FILES:
            if name.startswith("slow"):
                time.sleep(1.5)
            self._send(FILES[name], len(FILES[name]))
        else:
            self.send_error(404, "Not Found")


@pytest.fixture()
def server() -> Iterator[str]:
    FixtureHandler.requests_seen = {}
    FixtureHandler.paths_seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FixtureHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


#: A few departments with their INSEE region and the customs' codes (Departement_region.txt).
DEPARTMENTS = """\
department_code,department_name,region_code,customs_department_code,customs_region_code
02,Aisne,32,02,01
18,Cher,24,18,04
45,Loiret,24,45,04
69,Rhône,84,69,18
75,Paris,11,75,03
2A,Corse-du-Sud,94,20,22
971,Guadeloupe,01,9A,24
974,La Réunion,04,9D,24
"""
REGIONS = """\
region_code,region_name,customs_region_code
01,Guadeloupe,24
04,La Réunion,24
11,Île-de-France,03
24,Centre-Val de Loire,04
32,Hauts-de-France,01
84,Auvergne-Rhône-Alpes,18
94,Corse,22
"""


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "departments.csv").write_text(DEPARTMENTS, encoding="utf-8")
    (folder / "regions.csv").write_text(REGIONS, encoding="utf-8")
    return folder


def sources_file(tmp_path: Path, server: str, retries: int = 2, timeout: float = 5.0) -> Path:
    """A sources file pointing every data set at the fixture server."""
    path = tmp_path / "sources.toml"
    path.write_text(f"""
[download]
timeout_seconds = {timeout}
retries = {retries}
backoff_seconds = 0.05

[regional]
latest = [{{ url = "{server}/od/REGIONAL_CPF4PAYS.zip", file_name = "REGIONAL_CPF4PAYS.zip" }}]
yearly = [{{ url = "{server}/od/Region_{{year}}.zip", file_name = "Region_{{year}}.zip" }}]

[national]
latest = [{{ url = "{server}/od/NATIONAL_NC8PAYS.zip", file_name = "NATIONAL_NC8PAYS.zip" }}]
yearly = [{{ url = "{server}/od/National_{{year}}.zip", file_name = "National_{{year}}.zip" }}]

[annexes]
latest = [
    {{ url = "{server}/od/Libelle_A129.txt", file_name = "Libelle_A129.txt" }},
    {{ url = "{server}/od/Libelle_PAYS.txt", file_name = "Libelle_PAYS.txt" }},
    {{ url = "{server}/od/Departement_region.txt", file_name = "Departement_region.txt" }},
]
yearly = [
    {{ url = "{server}/od/Libelle_NC8_{{year}}.txt", file_name = "Libelle_NC8_{{year}}.txt" }},
]

[kiosque_regions]
region_codes = "dgddi"
url = "{server}/download_no.asp?fic=region_{{region_code}}.zip&rep=%2Ffichiers%2FTelecharge"
file_name = "region_{{region_code}}.zip"
""", encoding="utf-8")  # fmt: skip
    return path


def settings(timeout: float = 5.0, retries: int = 2) -> DownloadSettings:
    return DownloadSettings(timeout_seconds=timeout, retries=retries, backoff_seconds=0.05)


def logged(folder: Path) -> list[dict[str, object]]:
    lines = (folder / "downloads.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def no_leftovers(folder: Path) -> bool:
    return not [p for p in folder.rglob("*") if p.name.endswith(".part")]


# ------------------------------------------------------------------ the data sets


def test_latest_publication_lands_in_latest_with_its_log(
    server: str, tmp_path: Path, seeds: Path
) -> None:
    out = tmp_path / "douanes"
    code = main(["--config", str(sources_file(tmp_path, server)), "--out", str(out)], seeds)
    assert code == 0
    latest = out / "latest"
    assert sorted(p.name for p in out.iterdir()) == ["latest"]  # no kiosque in "all"
    assert sorted(p.name for p in latest.iterdir()) == [
        "Departement_region.txt",
        "Libelle_A129.txt",
        "Libelle_PAYS.txt",
        "NATIONAL_NC8PAYS.zip",
        "REGIONAL_CPF4PAYS.zip",
        "downloads.jsonl",
    ]
    assert (latest / "REGIONAL_CPF4PAYS.zip").read_bytes() == FILES["REGIONAL_CPF4PAYS.zip"]
    records = {r["file"]: r for r in logged(latest)}
    regional = records["REGIONAL_CPF4PAYS.zip"]
    assert regional["url"] == server + "/od/REGIONAL_CPF4PAYS.zip"
    assert regional["size_bytes"] == len(FILES["REGIONAL_CPF4PAYS.zip"])
    assert regional["sha256"] == hashlib.sha256(FILES["REGIONAL_CPF4PAYS.zip"]).hexdigest()
    assert str(regional["downloaded_at"]).startswith("20")
    assert regional["dataset"] == "regional"
    assert records["NATIONAL_NC8PAYS.zip"]["dataset"] == "national"
    assert records["Libelle_PAYS.txt"]["dataset"] == "annexes"
    # every file saved is one the loader recognises by name (or a zip of such files)
    for path in latest.glob("*.txt"):
        assert fixed_layout_for(path.name) is not None


def test_yearly_archives_land_in_their_year_folder(
    server: str, tmp_path: Path, seeds: Path
) -> None:
    out = tmp_path / "douanes"
    argv = ["--dataset", "regional", "--year", "2019", "--year", "2020",
            "--config", str(sources_file(tmp_path, server)), "--out", str(out)]  # fmt: skip
    assert main(argv, seeds) == 0
    assert sorted(p.name for p in out.iterdir()) == ["2019", "2020"]
    assert sorted(p.name for p in (out / "2019").iterdir()) == ["Region_2019.zip",
                                                                "downloads.jsonl"]  # fmt: skip
    assert logged(out / "2020")[0]["url"] == server + "/od/Region_2020.zip"


def test_all_with_a_year_takes_each_data_sets_yearly_files(
    server: str, tmp_path: Path, seeds: Path
) -> None:
    out = tmp_path / "douanes"
    argv = ["--year", "2019", "--config", str(sources_file(tmp_path, server)), "--out", str(out)]
    assert main(argv, seeds) == 0
    assert sorted(p.name for p in (out / "2019").iterdir()) == [
        "Libelle_NC8_2019.txt", "National_2019.zip", "Region_2019.zip", "downloads.jsonl",
    ]  # fmt: skip


def test_annexes_alone(server: str, tmp_path: Path, seeds: Path) -> None:
    out = tmp_path / "douanes"
    argv = ["--dataset", "annexes", "--config", str(sources_file(tmp_path, server)),
            "--out", str(out)]  # fmt: skip
    assert main(argv, seeds) == 0
    assert (out / "latest" / "Libelle_A129.txt").read_bytes() == FILES["Libelle_A129.txt"]
    assert not (out / "latest" / "REGIONAL_CPF4PAYS.zip").exists()


# ---------------------------------------------------------------- region codes


def test_kiosque_url_is_filled_with_the_customs_region_code(
    server: str, tmp_path: Path, seeds: Path
) -> None:
    out = tmp_path / "douanes"
    argv = ["--dataset", "kiosque", "--region", "04", "18",
            "--config", str(sources_file(tmp_path, server)), "--out", str(out)]  # fmt: skip
    assert main(argv, seeds) == 0
    assert FixtureHandler.paths_seen == [
        "/download_no.asp?fic=region_04.zip&rep=%2Ffichiers%2FTelecharge",
        "/download_no.asp?fic=region_18.zip&rep=%2Ffichiers%2FTelecharge",
    ]
    folder = out / "kiosque"
    assert sorted(p.name for p in folder.iterdir()) == ["downloads.jsonl", "region_04.zip",
                                                        "region_18.zip"]  # fmt: skip
    assert logged(folder)[0]["dataset"] == "kiosque"


def test_kiosque_without_region_takes_every_known_customs_code(
    server: str, tmp_path: Path, seeds: Path
) -> None:
    argv = ["--dataset", "kiosque", "--config", str(sources_file(tmp_path, server)),
            "--out", str(tmp_path / "douanes")]  # fmt: skip
    assert main(argv, seeds) == 0
    asked = sorted(name for name in FixtureHandler.requests_seen)
    assert asked == [f"region_{c}.zip" for c in ("01", "03", "04", "18", "22", "24")]


def test_unknown_region_code_is_refused_before_any_request(
    server: str, tmp_path: Path, seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = sources_file(tmp_path, server)
    argv = ["--dataset", "kiosque", "--region", "84",
            "--config", str(config), "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(argv, seeds) == 2
    message = capsys.readouterr().err
    assert "region '84' is not a DGDDI (customs) region code" in message
    assert "84 is INSEE's code for Auvergne-Rhône-Alpes, whose DGDDI code is 18" in message
    assert "04 (Centre-Val de Loire)" in message  # the known codes are listed
    assert FixtureHandler.paths_seen == []
    assert not (tmp_path / "out").exists()


def test_validation_is_about_the_known_customs_set(seeds: Path) -> None:
    assert customs_region_codes(seeds) == {
        "01": "Hauts-de-France",
        "03": "Île-de-France",
        "04": "Centre-Val de Loire",
        "18": "Auvergne-Rhône-Alpes",
        "22": "Corse",
        "24": "Guadeloupe, La Réunion",
    }
    with pytest.raises(RegionCodeError, match="'99' is not a DGDDI"):
        check_region_codes(["99"], seeds)
    # 24 is INSEE's Centre-Val de Loire, but also DGDDI's overseas: accepted as the latter
    codes, notes = check_region_codes(["24", "18"], seeds)
    assert codes == ["24", "18"]
    assert notes == ["region 24 is read as the DGDDI code (Guadeloupe, La Réunion); "
                     "INSEE's 24 (Centre-Val de Loire) is DGDDI 04"]  # fmt: skip


def test_seed_without_the_customs_column_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "departments.csv").write_text("department_code,department_name,region_code\n"
                                              "45,Loiret,24\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(RegionCodeError, match="has no customs_region_code column"):
        customs_region_codes(tmp_path)


def test_region_option_needs_the_kiosque(tmp_path: Path, seeds: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--dataset", "regional", "--region", "04"], seeds)
    assert exit_info.value.code == 2


# -------------------------------------------------------------- the sources file


def test_project_sources_file_is_valid_and_says_its_urls_are_unverified() -> None:
    config = read_config(DEFAULT_CONFIG)
    assert set(config.datasets) == {"regional", "national", "annexes"}
    assert config.kiosque is not None and "{region_code}" in config.kiosque.url
    assert all(f.url.startswith("https://") for d in config.datasets.values()
               for f in (*d.latest, *d.yearly))  # fmt: skip
    assert "UNVERIFIED" in DEFAULT_CONFIG.read_text(encoding="utf-8")


def toml(text: str) -> dict[str, object]:
    return tomllib.loads(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[kiosque_regions]\nurl = "https://x/r_{insee_region_code}.zip"\n'
         'file_name = "r_{insee_region_code}.zip"', "asks for an INSEE region code"),
        ('[kiosque_regions]\nregion_codes = "insee"\nurl = "https://x/r_{region_code}.zip"\n'
         'file_name = "r_{region_code}.zip"', "only 'dgddi' is supported"),
        ('[regional_files]\nurl_template = "https://x/region_{region_code}.zip"\n'
         'file_name = "region_{region_code}_{year}.zip"', "{region_code} was an INSEE code"),
        ('[kiosque_regions]\nurl = "https://x/regions.zip"\nfile_name = "regions.zip"',
         "needs a {region_code} placeholder"),
        ('[regional]\nlatest = [{ url = "https://x/R_{region_code}.zip", file_name = "R.zip" }]',
         "covers every region in one file"),
        ('[regional]\nyearly = [{ url = "https://x/R.zip", file_name = "R.zip" }]',
         "needs a {year} placeholder"),
        ('[annexes]\nlatest = [{ url = "https://x/labels.txt", file_name = "labels.txt" }]',
         "not a file name the loader recognises"),
        ('[national]\nlatest = [{ url = "ftp://x/N.zip", file_name = "N.zip" }]',
         "not an http(s) URL"),
        ('[national]\nlatest = [{ url = "https://x/N.zip", file_name = "../N.zip" }]',
         "bare file name"),
        ('[regionals]\nlatest = []', "unknown sections"),
    ],
)  # fmt: skip
def test_sources_file_mistakes_are_refused(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("{", r"\{").replace("(", r"\(")
                       .replace(")", r"\)")):  # fmt: skip
        parse_config(toml(text))


# ------------------------------------------------- retries and partial files


def test_missing_file_fails_at_once_and_writes_nothing(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="HTTP 404"):
        download_file(server + "/missing.zip", tmp_path / "missing.zip", settings())
    assert FixtureHandler.requests_seen["missing.zip"] == 1  # a 404 is not retried
    assert list(tmp_path.iterdir()) == []


def test_truncated_file_is_retried_then_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match=r"failed after 2 attempts \(truncated"):
        download_file(server + "/truncated.zip", tmp_path / "truncated.zip", settings())
    assert FixtureHandler.requests_seen["truncated.zip"] == 2
    assert list(tmp_path.iterdir()) == []


def test_zip_cut_short_without_a_length_is_retried_then_refused(
    server: str, tmp_path: Path
) -> None:
    with pytest.raises(DownloadError, match=r"failed after 2 attempts \(not a readable zip"):
        download_file(server + "/cut.zip", tmp_path / "cut.zip", settings(), dataset="regional")
    assert FixtureHandler.requests_seen["cut.zip"] == 2
    assert list(tmp_path.iterdir()) == []


def test_slow_server_times_out_and_nothing_is_kept(server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="failed after 2 attempts"):
        download_file(server + "/slow.zip", tmp_path / "slow.zip", settings(timeout=0.3))
    assert list(tmp_path.iterdir()) == []


def test_slow_server_within_the_timeout_succeeds(server: str, tmp_path: Path) -> None:
    record = download_file(server + "/slow.zip", tmp_path / "slow.zip", settings(timeout=5))
    assert record.size_bytes == len(FILES["slow.zip"])


@pytest.mark.parametrize("name", ["flaky.zip", "busy.zip"])  # 503, then 429
def test_server_error_or_rate_limit_is_retried(server: str, tmp_path: Path, name: str) -> None:
    record = download_file(server + "/" + name, tmp_path / name, settings())
    assert record.attempts == 2
    assert (tmp_path / name).read_bytes() == FILES[name]


def test_html_page_instead_of_the_file_is_refused_at_once(server: str, tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="HTML page"):
        download_file(server + "/html/Libelle_PAYS.txt", tmp_path / "Libelle_PAYS.txt",
                      settings(), dataset="annexes")  # fmt: skip
    assert FixtureHandler.requests_seen["Libelle_PAYS.txt"] == 1
    assert list(tmp_path.iterdir()) == []


def test_zip_without_the_data_sets_file_is_refused(server: str, tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"no regional data file .* readme\.txt"):
        download_file(server + "/wrong.zip", tmp_path / "REGIONAL.zip", settings(),
                      dataset="regional")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_a_failure_keeps_the_whole_files_before_it_and_nothing_else(
    server: str, tmp_path: Path, seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = sources_file(tmp_path, server)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("/od/NATIONAL_NC8PAYS.zip", "/od/missing.zip"),
                      encoding="utf-8")  # fmt: skip
    out = tmp_path / "douanes"
    assert main(["--config", str(config), "--out", str(out)], seeds) == 1
    assert "HTTP 404" in capsys.readouterr().err
    latest = out / "latest"
    assert sorted(p.name for p in latest.iterdir()) == ["REGIONAL_CPF4PAYS.zip",
                                                        "downloads.jsonl"]  # fmt: skip
    assert [r["file"] for r in logged(latest)] == ["REGIONAL_CPF4PAYS.zip"]
    assert no_leftovers(out)


def test_sources_file_from_the_environment(
    server: str, tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADE_SOURCES_FILE", str(sources_file(tmp_path, server)))
    out = tmp_path / "douanes"
    assert main(["--dataset", "national", "--out", str(out)], seeds) == 0
    assert (out / "latest" / "NATIONAL_NC8PAYS.zip").exists()
