"""Answers about sets of patents: navigation analyses, patent value, high-value portfolios.

Public entry points (see docs/analytics.md):

- :func:`ipobs.analytics.patent_set.resolve` — a :class:`PatentSet` → patent ids + description
- :func:`ipobs.analytics.navigation.analyze` — every navigation section for a set
- :func:`ipobs.analytics.value.value_scores` / :func:`explain_value` — quality score per patent
- :func:`ipobs.analytics.value.high_value_flags` — CNIPA's five high-value categories
- :func:`ipobs.analytics.portfolios.portfolio_ledger` — high-value portfolios with their check
- :func:`ipobs.analytics.activity.industry_activity` — plan industries' yearly applications/grants
"""
