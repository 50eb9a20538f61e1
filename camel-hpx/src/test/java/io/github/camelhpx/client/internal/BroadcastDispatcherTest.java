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
 * values: a connection's opening (or the read of its last broadcast), and when it last had nothing unread before
 * the broadcast it read.
 */
class BroadcastDispatcherTest {

    private static final ServerAddress SERVER = new ServerAddress("localhost", 7007);

    private final BroadcastDispatcher dispatcher = new BroadcastDispatcher(() -> null);
    private final List<Broadcast> delivered = new CopyOnWriteArrayList<>();

    private static Broadcast restart(ServerAddress server) {
        return new Broadcast(ServerCommand.SERVER_RESTART, IntNode.valueOf(2), "srv", "", server, HpxProtocol.G1);
    }

    /** A broadcast on a connection; returns the connection's new {@code seenUntil}. */
    private long dispatch(long seenUntil, long quiet, long readAt) {
        return dispatcher.dispatch(seenUntil, quiet, readAt, restart(SERVER));
    }

    @Test
    void copiesOnConnectionsOpenAtTheEventAreDroppedAndLaterEventsDelivered() {
        dispatcher.add(delivered::add);

        long first = dispatch(10, 100, 105);
        long second = dispatch(20, 101, 106);

        assertThat(delivered).hasSize(1);
        // Each connection has carried the event: the next broadcast on either is a new event, delivered once.
        dispatch(first, 200, 205);
        assertThat(delivered).hasSize(2);
        dispatch(second, 201, 206);
        assertThat(delivered).hasSize(2);
    }

    /**
     * A G1 call records what it read while it holds its connection: copies are told apart then, and the client's
     * own listener runs then, but the others only once the call has let go of the connection, in the order read.
     */
    @Test
    void recordedEventsReachTheImmediateListenersAtOnceAndTheOthersWhenDeliveredInOrder() {
        List<Broadcast> immediate = new CopyOnWriteArrayList<>();
        dispatcher.add(delivered::add);
        dispatcher.addImmediate(immediate::add);
        Broadcast quit = new Broadcast(ServerCommand.SERVER_QUIT, IntNode.valueOf(1), "srv", "", SERVER,
                HpxProtocol.G1);

        long first = dispatcher.record(10, 100, 105, restart(SERVER));
        dispatcher.record(20, 101, 106, restart(SERVER));
        dispatcher.record(first, 200, 205, quit);

        assertThat(immediate).extracting(Broadcast::command)
                .containsExactly(ServerCommand.SERVER_RESTART, ServerCommand.SERVER_QUIT);
        assertThat(delivered).isEmpty();

        dispatcher.deliverRecorded();

        assertThat(delivered).extracting(Broadcast::command)
                .containsExactly(ServerCommand.SERVER_RESTART, ServerCommand.SERVER_QUIT);
        dispatcher.deliverRecorded();
        assertThat(delivered).hasSize(2);
    }

    /** A listener that calls the server (whose call ends with a delivery) is not re-entered with the next event. */
    @Test
    void aDeliveryFromAListenerLeavesTheEventsToTheOneUnderWayInOrder() {
        List<String> seen = new CopyOnWriteArrayList<>();
        dispatcher.add(broadcast -> {
            seen.add("first " + broadcast.command());
            dispatcher.deliverRecorded();
            seen.add("first done " + broadcast.command());
        });
        dispatcher.add(broadcast -> seen.add("second " + broadcast.command()));
        Broadcast quit = new Broadcast(ServerCommand.SERVER_QUIT, IntNode.valueOf(1), "srv", "", SERVER,
                HpxProtocol.G1);
        long first = dispatcher.record(10, 100, 105, restart(SERVER));
        dispatcher.record(first, 200, 205, quit);

        dispatcher.deliverRecorded();

        assertThat(seen).containsExactly("first SERVER_RESTART", "first done SERVER_RESTART", "second SERVER_RESTART",
                "first SERVER_QUIT", "first done SERVER_QUIT", "second SERVER_QUIT");
    }

    @Test
    void aLateReadOfAnEventKeepsConnectionsOpenedSinceOutOfIt() {
        dispatcher.add(delivered::add);
        // An idle connection quiet since 50 is read at last, long after a restart; one opened at 150, after the
        // restart, has not carried anything yet.
        dispatch(10, 50, 400);
        assertThat(delivered).hasSize(1);

        dispatch(150, 400, 401);

        assertThat(delivered).hasSize(2);
    }

    @Test
    void anEarlierEventReadAfterALaterOneIsDeliveredToo() {
        dispatcher.add(delivered::add);
        // Opened at 150, after a first restart that an idle connection (open since 10, quiet since 50) carries
        // unread; the second restart, read first here, may have come after the first.
        dispatch(150, 300, 310);

        dispatch(10, 50, 320);

        assertThat(delivered).hasSize(2);
    }

    @Test
    void aConnectionThatCarriedOneEventIsJudgedFromThenOn() {
        dispatcher.add(delivered::add);
        dispatch(20, 100, 101);
        dispatch(150, 200, 201);
        assertThat(delivered).hasSize(2);

        // A connection open since 10 carries copies of both events, read as they came.
        long old = dispatch(10, 99, 102);
        old = dispatch(old, 199, 202);
        assertThat(delivered).hasSize(2);
        dispatch(old, 300, 301);
        assertThat(delivered).hasSize(3);
    }

    @Test
    void aCopyReadBeforeTheDeliveryWasRecordedLeavesTheNextEventDelivered() {
        dispatcher.add(delivered::add);
        // Two connections read the same event; the one that read it later is dispatched first.
        long later = dispatch(20, 106, 106);
        long earlier = dispatch(10, 104, 104);
        assertThat(delivered).hasSize(1);

        dispatch(earlier, 200, 200);

        assertThat(delivered).hasSize(2);
        dispatch(later, 201, 201);
        assertThat(delivered).hasSize(2);
    }

    @Test
    void aCopyReadLateDoesNotHideTheNextEventsCopies() {
        dispatcher.add(delivered::add);
        // One connection reads two events as they come; another reads its copy of the first only after the second.
        long prompt = dispatch(10, 100, 101);
        dispatch(prompt, 200, 201);
        long slow = dispatch(20, 250, 251);
        assertThat(delivered).hasSize(2);

        dispatch(slow, 260, 261);

        assertThat(delivered).hasSize(2);
    }

    @Test
    void aBroadcastOfAnotherServerIsNoCopy() {
        dispatcher.add(delivered::add);
        dispatch(20, 100, 101);

        dispatcher.dispatch(10, 110, 111, restart(new ServerAddress("localhost", 7008)));

        assertThat(delivered).extracting(Broadcast::server)
                .containsExactly(SERVER, new ServerAddress("localhost", 7008));
    }

    @Test
    void aListenerThatThrowsAnErrorLeavesTheOthersTheirBroadcast() {
        dispatcher.add(broadcast -> {
            throw new AssertionError("listener bug");
        });
        dispatcher.add(delivered::add);

        dispatch(10, 100, 101);

        assertThat(delivered).hasSize(1);
    }

    @Test
    void aListenerWhoseRecursionOverflowsTheStackLeavesTheOthersTheirBroadcast() {
        dispatcher.add(broadcast -> depth(0));
        dispatcher.add(delivered::add);

        dispatch(10, 100, 101);

        assertThat(delivered).hasSize(1);
    }

    private static int depth(int reached) {
        return depth(reached + 1) + 1;
    }

    @Test
    void removedListenersHearNothing() throws Exception {
        AutoCloseable registration = dispatcher.add(delivered::add);
        registration.close();

        dispatch(10, 100, 101);

        assertThat(delivered).isEmpty();
    }
}
