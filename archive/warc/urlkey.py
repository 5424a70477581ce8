"""The canonical form URLs are matched in: SURT, as pywb and the CDX(J) indexes write it.

`http://www.News.test/a/?b=2&a=1` and `https://news.test/a?a=1&b=2` are one page to an archive:
scheme, `www.`, case, a trailing slash, query order and fragment do not tell captures apart.
The build matches a seed's original URLs with the captures of every WARC, the imported ones
included, by this key (the one module that imports `surt`).
"""

from __future__ import annotations

import surt


def url_key(url: str) -> str:
    """The SURT key of `url`; a URL surt cannot parse is its own key (lower case)."""
    try:
        return surt.surt(url)
    except Exception:  # surt raises whatever its parser meets; an odd URL still gets a key
        return url.strip().lower()
