"""The extraction limits and result types of the public interface."""
from __future__ import annotations

from dataclasses import dataclass

from .common import PAGE_SEPARATOR


@dataclass(frozen=True)
class ExtractionLimits:
    timeout_seconds: float = 60.0        # wall clock for the child process
    cpu_seconds: int = 60                # RLIMIT_CPU
    memory_bytes: int = 768 * 1024**2    # RLIMIT_AS of the child
    # text kept; beyond: status "too_large" with the text truncated
    max_output_chars: int = 5_000_000
    max_input_bytes: int = 200 * 1024**2  # files larger than this are not opened: "too_large"
    max_zip_entries: int = 10_000
    max_unzipped_bytes: int = 300 * 1024**2  # real bytes read from a zip container in total
    # an entry whose real output exceeds ratio × its compressed size (and > 1 MB) is refused
    max_zip_ratio: int = 200


@dataclass
class ExtractionResult:
    status: str          # "done" | "failed" | "too_large" | "unsupported"
    pages: list[str]     # text per page, slide or sheet; one item for other formats
    reason: str = ""     # short French reason for users when status is not "done"

    @property
    def text(self) -> str:
        return PAGE_SEPARATOR.join(self.pages)
