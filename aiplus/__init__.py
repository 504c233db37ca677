"""The application shell: command line, configuration, logging and wiring of the other packages."""
