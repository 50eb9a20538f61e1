package io.github.camelhpx.client;

/**
 * Receives server broadcasts. Called on the thread that read the broadcast, so keep it short; an exception it
 * throws is logged and does not disturb the client. G1: once that thread's call has given its connection back, so
 * that the listener may call the server too. G2: on the connection's reader, where a blocking call is refused
 * ({@link HpxClient#onReaderThread()}): use {@link HpxClient#executeAsync}, or hand the work to another thread.
 */
@FunctionalInterface
public interface BroadcastListener {

    void onBroadcast(Broadcast broadcast);
}
