"""Application icons made from the one drawing, resources/icons/aisite.svg, at build time:
Qt renders it at each size, Pillow writes the Windows .ico and the macOS .icns.

    python installer/make_icons.py [OUT_DIR]     (default build/icons)
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent square of `size` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render_png.app = QGuiApplication([])  # kept alive for later sizes
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def make_icons(svg: Path, out_dir: Path) -> dict[str, Path]:
    """Write aisite.png (1024 px), aisite.ico and aisite.icns into out_dir; return their paths."""
    from PIL import Image

    out_dir.mkdir(parents=True, exist_ok=True)
    images = {size: Image.open(io.BytesIO(render_png(svg, size))).convert("RGBA")
              for size in sorted(set(ICO_SIZES) | set(ICNS_SIZES))}
    paths = {"png": out_dir / "aisite.png", "ico": out_dir / "aisite.ico", "icns": out_dir / "aisite.icns"}
    images[1024].save(paths["png"])
    # Each .ico size drawn from the SVG at that size (sharper than one scaled bitmap).
    images[256].save(paths["ico"], format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES if s != 256])
    images[1024].save(paths["icns"], format="ICNS",
                      append_images=[images[s] for s in ICNS_SIZES if s != 1024])
    return paths


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "build" / "icons"
    for kind, path in make_icons(root / "resources" / "icons" / "aisite.svg", out).items():
        print(f"{kind}: {path} ({path.stat().st_size} bytes)")
