package io.github.camelhpx.client;

/** One function call failed on the server (its function-data object carried an {@code error}). */
public class HpxFunctionException extends HpxException {

    private final String functionName;
    private final String serverMessage;

    public HpxFunctionException(String functionName, int code, String serverMessage) {
        super(code, "HPX function '" + functionName + "' failed with " + code + ": " + maskSessionIds(serverMessage));
        this.functionName = functionName;
        this.serverMessage = maskSessionIds(serverMessage);
    }

    public String getFunctionName() {
        return functionName;
    }

    /** The server's own {@code msg} text, with any session id in it masked. */
    public String getServerMessage() {
        return serverMessage;
    }
}
