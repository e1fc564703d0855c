"""Offline extraction of candidate events and claims from news articles, for an analyst to review."""

from data.extract.extraction import CandidateClaim, CandidateEvent, Extraction, extract

__all__ = ["CandidateClaim", "CandidateEvent", "Extraction", "extract"]
