"""The regional contact fields (programme page, Jugendamt, what stays unconfirmed) in every output editors see."""

from __future__ import annotations

from pathlib import Path

import yaml

from schulerfolg.editors.diff import diff_data, render_text

ROOT = Path(__file__).resolve().parent.parent


def _networks() -> dict:
    return yaml.safe_load((ROOT / "data" / "networks.yaml").read_text(encoding="utf-8"))


def test_the_data_diff_names_the_jugendamt_and_programme_page_changes() -> None:
    old = _networks()
    new = _networks()
    office = next(o for o in new["netzwerkstellen"] if o["id"] == "harz")
    office["programmseite"] = "https://www.schulerfolg-sichern.de/das-programm/regionale-netzwerkstellen/harz.html"
    office["jugendamt"]["telefon"] = "03941 5970-0"
    office["unbestaetigt"] = "Postfach der Netzwerkstelle."
    text = render_text([diff_data("data/networks.yaml", "networks", old, new)])
    assert "Seite im Programm geändert" in text and "regionale-netzwerkstellen/harz.html" in text
    assert "Zuständiges Jugendamt – Telefon ergänzt: 03941 5970-0" in text
    assert "Noch nicht bestätigt geändert" in text


def test_every_netzwerkstelle_names_its_page_and_what_is_unconfirmed_or_reachable() -> None:
    for office in _networks()["netzwerkstellen"]:
        assert office["programmseite"].startswith("https://"), office["id"]
        youth = office.get("jugendamt") or {}
        reachable = office.get("telefon") or office.get("email") or youth.get("telefon") or youth.get("email")
        # Nothing silently missing: either a way to reach someone, or the gap is said publicly.
        assert reachable or office.get("unbestaetigt"), office["id"]
        if youth:
            assert youth["quelle"]["url"].startswith("https://") and youth["geprueft_am"], office["id"]
