package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.HpxWrongCredentialsException;
import io.github.camelhpx.client.ServerCommand;

import org.junit.jupiter.api.Test;

/**
 * What a broadcast consumer tells of a lost connection: an outage the server announced with a broadcast just before is
 * expected, and reaches no exception handler; a broadcast counts for the next outage only, and not for long, so that a
 * crash long after a broadcast the server sent without closing (or a copy read late) reaches the handler.
 */
class HpxWatchStateTest {

    private final AtomicLong now = new AtomicLong();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final HpxWatchState state = new HpxWatchState("localhost:7007", (message, cause) -> handled.add(message),
            now::get);

    private void lose() {
        state.onDisconnected(new HpxServerDisconnectedException("HPX server closed the connection"),
                Duration.ofSeconds(1));
    }

    @Test
    void anOutageRightAfterABroadcastIsExpected() {
        state.onConnected("session");
        state.announced(ServerCommand.SERVER_RESTART);
        now.addAndGet(Duration.ofSeconds(2).toNanos());

        lose();

        assertThat(handled).isEmpty();
        assertThat(state.health().up()).isFalse();
    }

    @Test
    void anOutageLongAfterABroadcastThatClosedNothingReachesTheHandler() {
        state.onConnected("session");
        state.announced(ServerCommand.SERVER_QUIT);
        now.addAndGet(HpxWatchState.ANNOUNCES_FOR.plusSeconds(1).toNanos());

        lose();

        assertThat(handled).singleElement().asString().contains("localhost:7007");
    }

    @Test
    void aBroadcastCountsForTheNextOutageOnly() {
        state.onConnected("session");
        state.announced(ServerCommand.SERVER_RESTART);
        lose();
        // Announced; then the login is refused, and the server is unreachable again: nothing announced that.
        state.onDisconnected(new HpxWrongCredentialsException("refused"), Duration.ofSeconds(1));
        handled.clear();
        lose();

        assertThat(handled).hasSize(1);
    }
}
