"""Demo data of this domain, loaded by `kieumau demo` after the tree and the demo accounts."""


def load_demo(*, stdout) -> None:
    """Idempotent: re-running `kieumau demo` must not duplicate anything."""
