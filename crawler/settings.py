"""Scrapy settings for the seedcheck crawler (project defaults; `-s` and the CLI override)."""

BOT_NAME = "seedcheck"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "seedcheck/0.1 (+https://github.com/seedcheck/seedcheck; archival crawler)"
ROBOTSTXT_OBEY = True
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
