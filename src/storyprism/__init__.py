"""storyprism: turn raw news documents from many outlets into stories and compare their coverage."""

from storyprism.extract import ExtractError, extract
from storyprism.models import AgencyCredit, Article, FoundDate, PageParts, RawDoc
from storyprism.read import ReadError, read

__version__ = "0.1.0"

__all__ = [
    "AgencyCredit",
    "Article",
    "ExtractError",
    "FoundDate",
    "PageParts",
    "RawDoc",
    "ReadError",
    "__version__",
    "extract",
    "read",
]
