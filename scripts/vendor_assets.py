"""Copy the named front-end files from node_modules into static/vendor (git-ignored)."""

import re
import shutil
import sys
from pathlib import Path

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.rtl.min.css": "bootstrap/bootstrap.rtl.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "bootstrap-icons/fonts/bootstrap-icons.woff2",
    "@alpinejs/csp/dist/cdn.min.js": "alpine/alpine-csp.min.js",
    "chart.js/dist/chart.umd.min.js": "chartjs/chart.umd.min.js",
    "jsqr/dist/jsQR.js": "jsqr/jsQR.js",
    "vazirmatn/fonts/webfonts/Vazirmatn-Regular.woff2": "vazirmatn/Vazirmatn-Regular.woff2",
    "vazirmatn/fonts/webfonts/Vazirmatn-Bold.woff2": "vazirmatn/Vazirmatn-Bold.woff2",
    "vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf": "vazirmatn/Vazirmatn-Regular.ttf",
    "vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf": "vazirmatn/Vazirmatn-Bold.ttf",
}
SOURCE_MAP = re.compile(rb"\n?/[/*]# sourceMappingURL=\S+(?: \*/)?\s*$")


def main(source: Path, target: Path) -> None:
    for src_name, dst_name in FILES.items():
        src, dst = source / src_name, target / dst_name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst_name.endswith((".js", ".css")):
            # A dangling sourceMappingURL breaks the manifest static storage.
            dst.write_bytes(SOURCE_MAP.sub(b"\n", src.read_bytes()))
        else:
            shutil.copyfile(src, dst)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
