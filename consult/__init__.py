"""consult: split a Word draft into sections, send packs to groups, collate their responses."""
from __future__ import annotations

from .version import __version__

from .allocate import allocate, group_names, read_plan  # noqa: E402
from .errors import ConsultError, InputError, OutputError, UsageError  # noqa: E402
from .model import (Allocation, Annotations, Comment, Draft, Paragraph, Place,  # noqa: E402
                    Placed, Return, Revision, Section, Unplaced)
from .accept import accept, reject  # noqa: E402
from .annotations import read_annotations  # noqa: E402
from .collate import Collation, collate  # noqa: E402
from .diff import diff, write_redline  # noqa: E402
from .ingest import ingest  # noqa: E402
from .packs import write_packs  # noqa: E402
from .report import write_reports  # noqa: E402
from .split import load_draft  # noqa: E402

__all__ = [
    "__version__", "load_draft", "allocate", "group_names", "read_plan", "write_packs",
    "read_annotations", "ingest", "collate", "Collation", "write_reports",
    "diff", "write_redline", "accept", "reject",
    "ConsultError", "InputError", "OutputError", "UsageError",
    "Allocation", "Annotations", "Comment", "Draft", "Paragraph", "Place", "Placed",
    "Return", "Revision", "Section", "Unplaced",
]
