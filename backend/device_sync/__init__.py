"""Device sync: the protocol-1 push/pull endpoints, backed by SQL, over the pure engine in ``sync``."""
