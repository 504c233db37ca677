"""The scheduler service: crawl and digest jobs from the configuration (`aiplus run`).

settings   time zone, crawl time limit, grace periods
plan       the jobs a configuration asks for, with stable ids
jobs       the job functions (importable, for the persistent job store) and their context
children   crawl child processes: time limits, clean stops
child_output  a child's stderr relayed through logging, its stdout kept
service    the BlockingScheduler, its job store in the archive database, signals
"""
