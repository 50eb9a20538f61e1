package io.github.camelhpx.client;

/** An HPX error object, {@code {"code": <int>, "msg": "<text>"}}. */
public record HpxError(int code, String msg) {
}
