"""drf-spectacular's AutoSchema, with the one error shape declared on every operation, so a
client (and schemathesis) knows every status the API may answer."""

from drf_spectacular.openapi import AutoSchema

from .serializers import ErrorSerializer

ERRORS = {
    "400": "Dữ liệu không hợp lệ (validation error)",
    "401": "Chưa đăng nhập hoặc khoá API không hợp lệ (not authenticated)",
    "403": "Không có quyền với đối tượng này (forbidden)",
    "404": "Không tìm thấy, hoặc không được xem (not found)",
    "405": "Phương thức không được hỗ trợ (method not allowed)",
    "406": "Không trả được định dạng yêu cầu (not acceptable)",
    "409": "Trạng thái không cho phép bước này (conflict, unmet conditions)",
    "412": "If-Match đã cũ (stale update)",
    "415": "Kiểu nội dung không được hỗ trợ (unsupported media type)",
    "429": "Gửi quá nhiều (throttled)",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            if code == "412" and self.method not in WRITES:
                continue
            if code == "415" and self.method not in WRITES:
                continue
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = description
                responses[code] = response
        return responses
