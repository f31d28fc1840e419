"""OCDS output checked as the Open Contracting Partnership's own checker (libcoveocds, the engine of
the OCDS Data Review Tool) checks it — offline: the standard's 1.1.5 schema and codelists (the copy
tender/opendata/schema holds) are served from a loopback HTTP server, the standard's ZIP is made from
the same files, and this publisher's extension is read from the running application."""
from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from pathlib import Path

from tender.opendata.operations import SCHEMA_DIR

#: Where the schemas say they live (their ids and references).
SITE = "https://standard.open-contracting.org/schema/1__1__5/"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_standard(root: Path):
    """Lay out the standard's files as the checker fetches them, serve them; (base URL, ZIP path, server).
    The schemas' references to the standard's site are pointed at this server."""
    en = root / "1.1" / "en"
    en.mkdir(parents=True)
    codelists = root / "codelists"
    codelists.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_port}"
    for name in ("release-schema.json", "release-package-schema.json", "record-package-schema.json",
                 "versioned-release-validation-schema.json"):
        text = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        (en / name).write_text(text.replace(SITE, f"{base}/1.1/en/"), encoding="utf-8")
    for csv in (SCHEMA_DIR / "codelists").glob("*.csv"):
        (codelists / csv.name).write_bytes(csv.read_bytes())
    standard = root / "standard-1__1__5.zip"
    with zipfile.ZipFile(standard, "w") as z:
        z.writestr("standard-1__1__5/", "")
        for path in sorted(SCHEMA_DIR.rglob("*")):
            if path.is_file():
                name = f"standard-1__1__5/schema/{path.relative_to(SCHEMA_DIR)}"
                if path.suffix == ".json":
                    z.writestr(name, path.read_text(encoding="utf-8").replace(SITE, f"{base}/1.1/en/"))
                else:
                    z.write(path, name)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return base, standard, server


def check(package: dict, base: str, standard_zip: Path, tmp: Path, *, record: bool = False) -> dict:
    """libcoveocds's verdict on ``package``: its validation errors, additional fields, checks."""
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig({
        "schema_version_choices": {"1.1": ("1.1", f"{base}/1.1/en/", "1__1__5")},
        "schema_codelists": {"1.1": f"{base}/codelists/"},
        "standard_zip": f"file://{standard_zip}",
        "context": "api",
    })
    path = tmp / ("record-package.json" if record else "release-package.json")
    path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return ocds_json_output(str(tmp), str(path), "1.1", convert=False, lib_cove_ocds_config=config,
                            record_pkg=record)
