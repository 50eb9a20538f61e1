package io.github.camelhpx.quarkus.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

/** The names of the broadcasts ({@code ServerRestart}, ...) that the {@code broadcasts} route received, in order. */
@ApplicationScoped
public class ReceivedBroadcasts {

    private final List<String> received = new CopyOnWriteArrayList<>();

    public void add(String broadcast) {
        received.add(broadcast);
    }

    public List<String> all() {
        return List.copyOf(received);
    }
}
