package io.github.camelhpx.testkit;

/**
 * Stands for an unhandled Python exception of the real server (TypeError, EOFError, ...): it becomes the
 * server-level 100 reply naming that Python type.
 */
final class PyCrash extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String pythonType;

    PyCrash(String pythonType) {
        super(pythonType, null, false, false);
        this.pythonType = pythonType;
    }

    String pythonType() {
        return pythonType;
    }

    /** The 100 text the server sends for an unhandled exception of the given type. */
    static String criticalMessage(String typeName) {
        return "[100] HappypandaError: An unhandled critical error has occurred: " + typeName;
    }
}
