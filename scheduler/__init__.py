"""The scheduler service: crawl and digest jobs from the configuration."""
