"""Reports people hand on: the patent-navigation report (GB/T 39551) and the monitoring report,
each as HTML, PDF (WeasyPrint, Noto CJK) and XLSX (one sheet per section). See docs/reports.md.

- :func:`ipobs.reports.navigation.build_navigation_report`
- :func:`ipobs.reports.monitoring.build_monitoring_report`
- :func:`ipobs.reports.render.render` / :func:`write`
"""
