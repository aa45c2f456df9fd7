"""`make bench`: how fast and how frugally the daily job loads a synthetic organization (issue 7)."""
