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

/** One delivery per server event, however many connections carry a copy of it. */
class BroadcastDispatcherTest {

    private final BroadcastDispatcher dispatcher = new BroadcastDispatcher(() -> null);
    private final List<Broadcast> delivered = new CopyOnWriteArrayList<>();

    private static Broadcast restart() {
        return new Broadcast(ServerCommand.SERVER_RESTART, IntNode.valueOf(2), "srv", "",
                new ServerAddress("localhost", 7007), HpxProtocol.G1);
    }

    @Test
    void copiesOnConnectionsOfTheSameEpochAreDroppedAndNewEventsDelivered() {
        dispatcher.add(delivered::add);
        long first = dispatcher.epoch();
        long second = dispatcher.epoch();

        long firstAfter = dispatcher.dispatch(first, restart());
        long secondAfter = dispatcher.dispatch(second, restart());

        assertThat(delivered).hasSize(1);
        // Both connections have seen the event: the next broadcast on either is a new one.
        dispatcher.dispatch(secondAfter, restart());
        assertThat(delivered).hasSize(2);
        dispatcher.dispatch(firstAfter, restart());
        assertThat(delivered).hasSize(2);
    }

    @Test
    void removedListenersHearNothing() throws Exception {
        AutoCloseable registration = dispatcher.add(delivered::add);
        registration.close();

        dispatcher.dispatch(dispatcher.epoch(), restart());

        assertThat(delivered).isEmpty();
    }
}
