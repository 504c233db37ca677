"""Digests: composing what changed (text, HTML, Markdown, JSON, Atom) and delivering it.

settings   what [smtp] and each [[digest]] of the configuration become
compose    a digest from change objects: counts, sections by kind and category, mention lines
duplicates one document published by several sources (same title or 文号): one entry
formats    text, HTML (jinja2, autoescaped), Markdown, JSON and Atom, registered by kind
atom       the Atom feed file a directory of digests keeps
message    a composed digest on its way out: subject line and renderings
channels/  email, webhook, apprise and directory channels, registered by kind
health     the sources whose last crawl failed or found nothing
delivery   what each channel has not received yet: compose, send, record
"""
