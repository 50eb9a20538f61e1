package io.github.camelhpx.testkit;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The fault plan of a running server. Faults are consumed in queue order, each by one frame, whichever
 * connection sends it. Welcome frames and broadcasts never consume reply faults.
 */
public final class Faults {

    private final ConcurrentLinkedQueue<Fault> replyFaults = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Fault> welcomeFaults = new ConcurrentLinkedQueue<>();
    private final Protocol protocol;
    private volatile int closeAfterMessages;

    Faults() {
        this(Protocol.G1);
    }

    Faults(Protocol protocol) {
        this.protocol = protocol;
    }

    /** Applies the fault to the next reply to a client message (handshake, call, command or error reply). */
    public Faults nextReply(Fault fault) {
        replyFaults.add(checked(fault));
        return this;
    }

    /** Applies the fault to the next welcome message (the frame the server sends first on a new connection). */
    public Faults nextWelcome(Fault fault) {
        welcomeFaults.add(checked(fault));
        return this;
    }

    /** Shorthand for {@code nextReply(Fault.reorderReplies(replies))}: see {@link Fault#reorderReplies(int)}. */
    public Faults reorderReplies(int replies) {
        return nextReply(Fault.reorderReplies(replies));
    }

    private Fault checked(Fault fault) {
        java.util.Objects.requireNonNull(fault, "fault");
        if (protocol == Protocol.G2 && (fault.kind() == Fault.Kind.GZIP_BOMB
                || fault.kind() == Fault.Kind.BROKEN_DEFLATE)) {
            throw new IllegalArgumentException(fault + " is a G1 fault: G2 frames are not compressed");
        }
        if (protocol == Protocol.G1 && fault.kind() == Fault.Kind.LYING_LENGTH) {
            throw new IllegalArgumentException(fault + " is a G2 fault: G1 frames declare no lengths");
        }
        return fault;
    }

    /**
     * Every connection is closed by the server once it has read and answered {@code n} messages (0 = never).
     * Applies to connections already open too.
     */
    public Faults closeAfterMessages(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative");
        }
        this.closeAfterMessages = n;
        return this;
    }

    /** Forgets every queued fault and the close-after limit. */
    public Faults clear() {
        replyFaults.clear();
        welcomeFaults.clear();
        closeAfterMessages = 0;
        return this;
    }

    /** Reply faults not consumed yet. */
    public int pendingReplyFaults() {
        return replyFaults.size();
    }

    Fault pollReply() {
        return replyFaults.poll();
    }

    Fault pollWelcome() {
        return welcomeFaults.poll();
    }

    int closeAfter() {
        return closeAfterMessages;
    }
}
