"""Build agora/core/static/agora/icons.svg from an unpacked lucide-static
npm package (development time only; see agora/core/icons.py)."""

import re
import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from agora.core.icons import ICONS, LUCIDE_VERSION

STATIC = Path(__file__).resolve().parents[2] / "static" / "agora"
BODY = re.compile(r"<svg[^>]*>(.*)</svg>", re.DOTALL)


class Command(BaseCommand):
    help = "Build the icon sprite from an unpacked lucide-static package (npm pack lucide-static)."

    def add_arguments(self, parser):
        parser.add_argument("package", help="the unpacked package directory (the one with icons/ and LICENSE)")

    def handle(self, package, **options):
        root = Path(package)
        version = re.search(r'"version":\s*"([^"]+)"', (root / "package.json").read_text()).group(1)
        if version != LUCIDE_VERSION:
            raise CommandError(f"lucide-static {version} given, agora.core.icons expects {LUCIDE_VERSION}")
        symbols = []
        for name in sorted(ICONS):
            source = root / "icons" / f"{name}.svg"
            if not source.exists():
                raise CommandError(f"No icon named {name} in lucide-static {version}")
            body = BODY.search(source.read_text()).group(1)
            body = " ".join(line.strip() for line in body.splitlines() if line.strip())
            symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>')
        sprite = (
            f"<!-- Lucide icons (lucide-static {version}, ISC licence: icons-LICENSE.txt). "
            "Built by manage.py build_icons. -->\n"
            '<svg xmlns="http://www.w3.org/2000/svg">\n' + "\n".join(symbols) + "\n</svg>\n"
        )
        (STATIC / "icons.svg").write_text(sprite)
        shutil.copyfile(root / "LICENSE", STATIC / "icons-LICENSE.txt")
        self.stdout.write(f"{len(symbols)} icons written to {STATIC / 'icons.svg'}")
