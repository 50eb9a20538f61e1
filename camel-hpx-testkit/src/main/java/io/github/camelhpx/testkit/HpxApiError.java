package io.github.camelhpx.testkit;

/**
 * An HPX error with its code. Thrown by a function handler it becomes a function-level error
 * ({@code {"fname": .., "data": null, "error": {"code": .., "msg": ..}}}); the server also uses it internally
 * for its server-level errors.
 */
public class HpxApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String msg;

    public HpxApiError(int code, String msg) {
        super("[" + code + "] " + msg);
        this.code = code;
        this.msg = msg;
    }

    public int code() {
        return code;
    }

    public String msg() {
        return msg;
    }
}
