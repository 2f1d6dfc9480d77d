"""Shared pieces of the editors' command-line tools (validate, datadiff): German messages only."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class GermanArgumentParser(argparse.ArgumentParser):
    """argparse that answers a wrong call with the tool's German usage text, never argparse's English."""

    def __init__(self, *args: object, usage_text: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.usage_text = usage_text

    def error(self, message: str) -> NoReturn:
        print(f"Der Aufruf ist fehlerhaft (technisch: {message}).\n\n{self.usage_text}", file=sys.stderr)
        raise SystemExit(2)

    def print_help(self, file: object = None) -> None:
        print(self.usage_text)
