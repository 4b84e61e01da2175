"""Pages: what a chapter notebook shows (exhibits rendered, prose facts glued, footers)."""

from roses.pages.chapter import Chapter

__all__ = ["Chapter"]
