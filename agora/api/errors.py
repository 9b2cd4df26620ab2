"""The public API's errors: every refusal and mistake is answered as JSON,
{"error": {"code": ..., "message": ..., "details": ...}} (docs/api.md, "Errors")."""

from typing import Any


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}
