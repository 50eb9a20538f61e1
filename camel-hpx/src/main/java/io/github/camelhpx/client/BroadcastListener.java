package io.github.camelhpx.client;

/**
 * Receives server broadcasts. Called on the thread that read the broadcast, so keep it short; an exception it
 * throws is logged and does not disturb the client.
 */
@FunctionalInterface
public interface BroadcastListener {

    void onBroadcast(Broadcast broadcast);
}
