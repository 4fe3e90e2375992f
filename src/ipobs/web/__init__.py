"""The web app: server-rendered pages in Chinese and English, each with a JSON twin, offline.

``create_app(settings)`` (``ipobs.web.app``) builds the FastAPI app; ``ipobs serve`` / ``ipobs run``
start it. See docs/web.md.
"""
