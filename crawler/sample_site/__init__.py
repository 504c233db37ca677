"""The bundled sample site: gov.cn-, CAC-, NPC-style pages and two news sites, in two states.

Tests and `aiplus demo` serve it on 127.0.0.1 with `SampleSite`, crawl state 1, switch to state 2
and crawl again; `expected.json` says what the crawler should find new, changed and removed, and
`sources.toml` holds the [[source]] entries that crawl it.
"""

from crawler.sample_site.server import SampleSite, available_states, load_expected, sources_toml

__all__ = ["SampleSite", "available_states", "load_expected", "sources_toml"]
