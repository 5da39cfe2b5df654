"""The public site: pages and open-data files computed from a Registry, handed to MkDocs by a hook."""
