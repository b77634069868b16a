"""Demo data of this domain, loaded by `kieumau demo` after the tree and the demo accounts."""

from kieumau.criteria import loading


def load_demo(*, stdout) -> None:
    """Load the shipped criteria sets; idempotent (sets already there are left as they are)."""
    loading.ensure_indicator_catalogue()
    results = loading.load_catalog()
    created = [f"{r.code} {r.version}" for r in results if r.action == "created"]
    stdout.write(
        f"Bộ tiêu chí: {len(results)} trong danh mục, {len(created)} mới"
        + (f" ({', '.join(created)})" if created else "")
    )
