"""Summaries on request: aggregates, status against targets, the chart and the Phụ lục I workbook.

Imports only `storage` and libraries. Entry points (`reports.requests`): `summary_request` (/tonghop),
`missing_request` (/thieu), `indicator_request` (/chitieu); each takes a unit of work, a `Scope`,
the typed arguments, the local time and a language, and returns a `Result` (text, PNG, files) that a
channel or the CLI delivers. Rules: aggregation in `reports.aggregate`, status in `reports.status`,
default period in `reports.periods`, outliers in `reports.indicator`.
"""
