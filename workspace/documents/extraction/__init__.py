"""Text extraction from uploaded documents (PDF, OpenDocument, Office Open XML, text, HTML),
run in a separate process under memory, CPU and time limits.

    from workspace.documents.extraction import extract_text
    result = extract_text(path, sniffed_mime)   # -> ExtractionResult(status, pages, reason)
"""
from workspace.documents.extraction.runner import ExtractionLimits, ExtractionResult, extract_text

__all__ = ["ExtractionLimits", "ExtractionResult", "extract_text"]
