package io.github.camelhpx.testkit;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Gzips the JSON of one frame while it is being written. A reply that stays under {@link #CHUNK} bytes is
 * deflated in one go at the end, on the caller's thread. A bigger one is handed over chunk by chunk to a
 * helper thread that deflates each while the caller writes the next: level 5 costs about three times what
 * writing get_items' JSON does, so with two CPUs a 50 MB reply takes little more than its deflate. zlib's
 * output does not depend on how its input is cut, so the frame is byte for byte the one-go one.
 */
final class OverlappedDeflate implements ByteSink.Drain, AutoCloseable {

    static final int CHUNK = 256 * 1024;

    private final GzipCodec codec;
    private final ByteSink json;
    private final ByteSink frame;
    private final Thread owner;
    /** Chunks handed over, oldest first: one being deflated and at most one waiting. */
    private final Queue<Future<byte[]>> handedOver = new ArrayDeque<>();
    private ExecutorService helper;

    /**
     * From now until {@link #close}, full chunks of {@code json} are deflated into {@code frame}, by a helper
     * named after the connection's thread {@code owner}.
     */
    OverlappedDeflate(GzipCodec codec, ByteSink json, ByteSink frame, Thread owner) {
        this.codec = codec;
        this.json = json;
        this.frame = frame;
        this.owner = owner;
        json.drainAbove(CHUNK, this);
    }

    @Override
    public byte[] drain(byte[] content, int length) {
        if (helper == null) {
            codec.beginFrame(frame);
            helper = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, owner.getName() + "-deflate");
                t.setDaemon(true);
                return t;
            });
        }
        handedOver.add(helper.submit(() -> {
            codec.deflate(content, 0, length, frame);
            return content;
        }));
        // the writer stays at most one chunk ahead, and two arrays take turns
        return handedOver.size() < 2 ? new byte[content.length] : await(handedOver.remove());
    }

    /** Deflates what is left in the JSON sink and ends the frame. */
    void finish() {
        if (helper == null) {
            codec.encodeFrame(json.array(), 0, json.size(), frame);
            return;
        }
        while (!handedOver.isEmpty()) {
            await(handedOver.remove());
        }
        codec.deflate(json.array(), 0, json.size(), frame);
        codec.endFrame(frame);
    }

    private static byte[] await(Future<byte[]> chunk) {
        try {
            return chunk.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("deflating a chunk failed", e.getCause());
        } catch (InterruptedException e) {
            // the connection is being closed
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deflating", e);
        }
    }

    @Override
    public void close() {
        json.drainAbove(0, null);
        if (helper != null) {
            // also after a failure half-way, and when the connection is closing (this thread interrupted): the
            // codec is the connection's, and only one thread may use it; a chunk's deflate ends in milliseconds
            helper.shutdownNow();
            boolean interrupted = false;
            while (!helper.isTerminated()) {
                try {
                    helper.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
