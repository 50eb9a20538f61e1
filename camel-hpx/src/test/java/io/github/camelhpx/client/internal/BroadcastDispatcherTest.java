package io.github.camelhpx.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.node.IntNode;

import io.github.camelhpx.client.Broadcast;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.ServerAddress;
import io.github.camelhpx.client.ServerCommand;

import org.junit.jupiter.api.Test;

/**
 * One delivery per server event, however many connections carry a copy of it. Times are {@code System.nanoTime()}
 * values: a connection's opening, and when it last had nothing unread before the broadcast it read.
 */
class BroadcastDispatcherTest {

    private static final ServerAddress SERVER = new ServerAddress("localhost", 7007);

    private final BroadcastDispatcher dispatcher = new BroadcastDispatcher(() -> null);
    private final List<Broadcast> delivered = new CopyOnWriteArrayList<>();

    private static Broadcast restart(ServerAddress server) {
        return new Broadcast(ServerCommand.SERVER_RESTART, IntNode.valueOf(2), "srv", "", server, HpxProtocol.G1);
    }

    private long dispatch(long seenUntil, long quiet) {
        return dispatcher.dispatch(seenUntil, quiet, restart(SERVER));
    }

    @Test
    void copiesOnConnectionsOpenAtTheEventAreDroppedAndLaterEventsDelivered() {
        dispatcher.add(delivered::add);

        long first = dispatch(10, 100);
        long second = dispatch(20, 101);

        assertThat(delivered).hasSize(1);
        // Both connections have seen the event: the next broadcast on either is a new one, delivered once.
        dispatch(second, 200);
        assertThat(delivered).hasSize(2);
        dispatch(first, 201);
        assertThat(delivered).hasSize(2);
    }

    @Test
    void aLateReadOfAnEventKeepsConnectionsOpenedSinceOutOfIt() {
        dispatcher.add(delivered::add);
        // An idle connection quiet since 50 is read at last, long after a restart; one opened at 150, after the
        // restart, has not carried anything yet.
        dispatch(10, 50);
        assertThat(delivered).hasSize(1);

        dispatch(150, 400);

        assertThat(delivered).hasSize(2);
    }

    @Test
    void aDroppedCopyLeavesItsConnectionBeforeTheEventsAfterTheOneItCopied() {
        dispatcher.add(delivered::add);
        long old = 10;
        dispatch(20, 100);
        dispatch(150, 200);
        assertThat(delivered).hasSize(2);

        // The old connection was open at both events: its two broadcasts are their copies.
        old = dispatch(old, 300);
        assertThat(old).isEqualTo(100);
        old = dispatch(old, 301);
        assertThat(delivered).hasSize(2);
        dispatch(old, 400);
        assertThat(delivered).hasSize(3);
    }

    @Test
    void aBroadcastOfAnotherServerIsNoCopy() {
        dispatcher.add(delivered::add);
        dispatch(20, 100);

        dispatcher.dispatch(10, 110, restart(new ServerAddress("localhost", 7008)));

        assertThat(delivered).extracting(Broadcast::server)
                .containsExactly(SERVER, new ServerAddress("localhost", 7008));
    }

    @Test
    void aListenerThatThrowsAnErrorLeavesTheOthersTheirBroadcast() {
        dispatcher.add(broadcast -> {
            throw new AssertionError("listener bug");
        });
        dispatcher.add(delivered::add);

        dispatch(10, 100);

        assertThat(delivered).hasSize(1);
    }

    @Test
    void removedListenersHearNothing() throws Exception {
        AutoCloseable registration = dispatcher.add(delivered::add);
        registration.close();

        dispatch(10, 100);

        assertThat(delivered).isEmpty();
    }
}
