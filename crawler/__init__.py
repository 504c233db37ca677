"""Scrapy project: spiders, pipelines and page extraction."""
