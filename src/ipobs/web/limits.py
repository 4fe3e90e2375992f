"""Request-body size cap (pure ASGI middleware), so a huge upload is refused before it is read."""

from __future__ import annotations

from ipobs.web.errors import TOO_LARGE_FLAG


class BodyLimit:
    """Refuse bodies over ``limit`` bytes: by Content-Length up front, or while streaming."""

    def __init__(self, app, limit_of):
        self.app = app
        self.limit_of = limit_of  # () -> bytes, read per request so tests can change the setting

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        limit = self.limit_of()
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            scope[TOO_LARGE_FLAG] = True
            return await self._refuse(scope, receive, send)
        seen = 0

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    scope[TOO_LARGE_FLAG] = True
                    raise ValueError("request body too large")
            return message

        return await self.app(scope, limited_receive, send)

    async def _refuse(self, scope, receive, send):
        """Answer 413 through the app's error page (HTML or JSON) without reading the body."""
        from starlette.requests import Request

        from ipobs.web.errors import too_large

        response = too_large(Request(scope))
        await response(scope, receive, send)
