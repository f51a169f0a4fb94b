"""Registry clients: PyPI, npm, download counts, and the HTTP layer they share.

Only this package talks to the network. Sources and signals never call it: the pipeline hands
them the evidence gathered here.
"""
