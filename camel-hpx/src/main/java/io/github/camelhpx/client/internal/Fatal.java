package io.github.camelhpx.client.internal;

/**
 * Which failures a thread that runs others' code (listeners) or keeps a connection going must not survive:
 * running out of memory, or a broken JVM. A stack overflow is not one of them: by the time it is caught, the
 * recursion that caused it has unwound.
 */
public final class Fatal {

    private Fatal() {
    }

    /** Rethrows {@code failure} if the thread must not go on after it; returns otherwise. */
    public static void rethrowIfFatal(Throwable failure) {
        if (failure instanceof VirtualMachineError fatal && !(failure instanceof StackOverflowError)) {
            throw fatal;
        }
    }
}
