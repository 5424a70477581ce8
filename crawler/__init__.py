"""The seedcheck Scrapy project: spiders and components that fetch originals into WARCs."""
