"""Serve the sample site for a look in a browser: python -m crawler.sample_site [--state N] [--port P]."""

from __future__ import annotations

import argparse
import sys
import threading

from crawler.sample_site.server import SampleSite, available_states


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.sample_site", description=__doc__)
    parser.add_argument(
        "--state", type=int, default=1, choices=available_states(), help="state to serve first"
    )
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: any free port)")
    args = parser.parse_args(argv)

    with SampleSite(state=args.state, port=args.port) as site:
        print(f"Sample site (state {site.state}) at {site.base_url}/")
        for path in (
            "/govcn/zhengce/zuixin/",
            "/cac/wxzw/wxfb/A093702index_1.htm",
            "/npc/c2/c30834/",
            "/news-zh/",
            "/news-en/",
        ):
            print(f"  {site.url(path)}")
        print(
            f"States: {', '.join(map(str, site.states))}. Type a state number and Enter to switch; "
            "Ctrl-C to stop."
        )
        try:
            if sys.stdin is not None and sys.stdin.isatty():
                for line in sys.stdin:
                    line = line.strip()
                    if line.isdigit() and int(line) in site.states:
                        site.set_state(int(line))
                        print(f"Now serving state {site.state}.")
                    elif line:
                        print(f"Unknown state {line!r}.")
            threading.Event().wait()
        except KeyboardInterrupt:
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
