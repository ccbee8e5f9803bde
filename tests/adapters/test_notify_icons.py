"""Every stretch has its icon, as SVG and as the PNG made from it, inside the package."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ElementTree

import pytest

from breakd.adapters.notify import ICONS, icon_file
from breakd.core.stretches import EXERCISE_IDS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("exercise", EXERCISE_IDS)
def test_each_stretch_has_an_svg_icon_and_a_128_px_png(exercise: str) -> None:
    svg = icon_file(exercise, "svg")
    png = icon_file(exercise, "png")
    assert svg is not None and svg.is_absolute()
    assert png is not None and png.is_absolute()
    root = ElementTree.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 64 64"
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (128, 128)


def test_no_icon_without_a_stretch_and_no_stray_files() -> None:
    assert icon_file("no-such-stretch") is None
    names = {path.name for path in ICONS.iterdir()}
    assert names == {f"{e}.{kind}" for e in EXERCISE_IDS for kind in ("svg", "png")}
