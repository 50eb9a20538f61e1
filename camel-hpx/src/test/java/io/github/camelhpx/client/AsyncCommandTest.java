package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Following an asynchronous HPX command (§8.1, §9.4) to its end, and stopping it when the wait ends first. G1
 * starts one with {@code check_update} (integer ids, state names), G2 with {@code reindex} (string ids, integer
 * states); {@code doomed} is the test's own and exists in both.
 */
class AsyncCommandTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(AsyncCommandTest::configure);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<JsonNode> progress = new CopyOnWriteArrayList<>();
    private final List<HpxTestServer> ownServers = new ArrayList<>();
    private HpxTestServer server;
    private HpxClient client;

    private static void configure(HpxTestServer.Builder b) {
        b.commandDuration(Duration.ofMillis(400))
                .function(FunctionSpec.of("doomed").handler(call -> call.startCommand("doomed", Duration.ofMillis(100), null, true)));
    }

    @BeforeEach
    void connect() {
        use(hpx.server());
    }

    @AfterEach
    void close() {
        client.close();
        scheduler.shutdownNow();
        ownServers.forEach(HpxTestServer::close);
    }

    /** Points the test's client at {@code target}. */
    private void use(HpxTestServer target) {
        if (client != null) {
            client.close();
        }
        server = target;
        client = TestClients.to(target).build();
    }

    /** For the G2 counterparts: a G2 server of this class's configuration, whatever the suite's generation. */
    private void useG2(Consumer<HpxTestServer.Builder> more) {
        HpxTestServer g2 = TestClients.startG2(b -> {
            configure(b);
            more.accept(b);
        });
        ownServers.add(g2);
        use(g2);
    }

    /** Points the client at a server of the suite's generation whose commands run for five minutes; returns it. */
    private HpxTestServer useSlowServer() {
        HpxTestServer slow = HpxTestServer.builder().protocol(hpx.protocol()).commandDuration(Duration.ofMinutes(5))
                .build().start();
        ownServers.add(slow);
        use(slow);
        return slow;
    }

    /** A function that starts a command on the client's server: G1's check_update, G2's reindex. */
    private String commandFunction() {
        return server.protocol() == Protocol.G1 ? "check_update" : "reindex";
    }

    private AsyncCommand follow(String function, Duration timeout) {
        JsonNode id = AsyncCommand.commandIdOf(client.call(function)).orElseThrow();
        return AsyncCommand.follow(client, id).pollInterval(Duration.ofMillis(50)).timeout(timeout)
                .onProgress((commandId, snapshot) -> progress.add(snapshot)).start(scheduler);
    }

    /** Whether the server says the command is stopped: G1 names the state, G2 numbers it (Stopped = 5). */
    private boolean stoppedOnServer(String id) {
        // Sent back as the server gave it: an integer in G1, a string in G2.
        Object wire = server.protocol() == Protocol.G1 ? Long.valueOf(id) : id;
        JsonNode state = client.call("get_command_state", Map.of("command_ids", List.of(wire))).path(id);
        return server.protocol() == Protocol.G1 ? state.asText().equals("stopped") : state.isInt() && state.intValue() == 5;
    }

    private CommandResult assertFinishesWithItsValueAndProgress(String function) {
        AsyncCommand command = follow(function, Duration.ofSeconds(10));

        CommandResult result = command.result().join();

        assertThat(result.commandId()).isEqualTo(command.commandId()).isNotBlank();
        assertThat(result.state()).isEqualTo(CommandState.FINISHED);
        assertThat(result.value().isObject()).isTrue();
        assertThat(progress).isNotEmpty().doesNotHaveDuplicates();
        assertThat(progress.get(0).has("percent")).isTrue();
        return result;
    }

    @Test
    @Tag("g1")
    void finishedCommandGivesItsValueAndReportsProgress() {
        assertFinishesWithItsValueAndProgress("check_update");
    }

    @Test
    @Tag("g2")
    void finishedG2CommandWithAStringIdGivesItsValueAndReportsProgress() {
        useG2(b -> { });

        CommandResult result = assertFinishesWithItsValueAndProgress("reindex");

        assertThat(result.value().toString()).isEqualTo("{\"status\":true}");
    }

    private void assertTimeoutStopsTheCommand(String function) {
        AsyncCommand command = follow(function, Duration.ofMillis(300));

        assertThatThrownBy(() -> command.result().join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(HpxCommandTimeoutException.class);
        assertThat(stoppedOnServer(command.commandId())).isTrue();
    }

    @Test
    @Tag("g1")
    void timeoutStopsTheCommandOnTheServer() {
        HpxTestServer slow = HpxTestServer.builder().protocol(Protocol.G1).commandDuration(Duration.ofMinutes(5)).build().start();
        ownServers.add(slow);
        use(slow);

        assertTimeoutStopsTheCommand("check_update");
    }

    @Test
    @Tag("g2")
    void timeoutStopsTheG2CommandOnTheServer() {
        useG2(b -> b.commandDuration(Duration.ofMinutes(5)));

        assertTimeoutStopsTheCommand("reindex");
    }

    private void assertCancelStopsTheCommand(String function) {
        AsyncCommand command = follow(function, Duration.ofSeconds(10));

        command.cancel().join();

        assertThat(command.result().isCancelled()).isTrue();
        assertThatThrownBy(() -> command.result().join()).isInstanceOf(CancellationException.class);
        await().until(() -> stoppedOnServer(command.commandId()));
    }

    @Test
    @Tag("g1")
    void cancelStopsTheCommandOnTheServer() {
        assertCancelStopsTheCommand("check_update");
    }

    @Test
    @Tag("g2")
    void cancelStopsTheG2CommandOnTheServer() {
        useG2(b -> { });

        assertCancelStopsTheCommand("reindex");
    }

    /**
     * A server that restarts while its command is awaited forgets it, and counts command ids from the start again
     * (0.3.0 does): the wait fails as lost, and the id is not polled or stopped there any more, where it may name
     * another command. Before, the next poll logged in again and asked for the id on the restarted server.
     */
    @Test
    void aCommandAwaitedAcrossAServerRestartIsLostAndNotStopped() {
        HpxTestServer slow = useSlowServer();
        AsyncCommand command = follow(commandFunction(), Duration.ofSeconds(10));
        await().until(() -> !progress.isEmpty());
        int before = slow.receivedMessages().size();

        slow.restart();

        assertThatThrownBy(() -> command.result().join()).cause().isInstanceOf(HpxCommandLostException.class)
                .hasMessageContaining("HPX command " + command.commandId() + " can no longer be followed");
        assertThat(slow.receivedMessages().subList(before, slow.receivedMessages().size()))
                .noneMatch(m -> String.valueOf(m.data()).contains("stop_command"));
    }

    /**
     * A wait that times out after a restart no poll has noticed yet sends its stop only in the session the command
     * was started in, which the restarted server refuses: the stop is not sent again in a new session, where the id
     * may name another command, and the wait fails as lost.
     */
    @Test
    void aTimeoutAfterAnUnnoticedRestartStopsNothingOnTheRestartedServer() {
        HpxTestServer slow = useSlowServer();
        JsonNode id = AsyncCommand.commandIdOf(client.call(commandFunction())).orElseThrow();
        AsyncCommand command = AsyncCommand.follow(client, id).pollInterval(Duration.ofMinutes(1))
                .timeout(Duration.ofSeconds(2)).start(scheduler);
        await().until(() -> command.lastState().isPresent());

        slow.restart();

        assertThatThrownBy(() -> command.result().join()).cause().isInstanceOf(HpxCommandLostException.class);
        assertThat(slow.receivedMessages()).filteredOn(m -> String.valueOf(m.data()).contains("stop_command"))
                .isNotEmpty().allSatisfy(m -> assertThat(slow.sessionIds()).doesNotContain(m.session()));
    }

    /** A logout of the client's session is no loss: the server keeps its commands, and the wait goes on to the end. */
    @Test
    void aCommandAwaitedAcrossALogoutIsFollowedToItsEnd() {
        AsyncCommand command = follow(commandFunction(), Duration.ofSeconds(10));
        await().until(() -> !progress.isEmpty());

        client.sendCommand(ServerCommand.DROP_AUTH);

        assertThat(command.result().join().state()).isEqualTo(CommandState.FINISHED);
    }

    @Test
    void failedCommandIsACommandException() {
        AsyncCommand command = follow("doomed", Duration.ofSeconds(10));

        assertThatThrownBy(() -> command.result().join())
                .cause().isInstanceOfSatisfying(HpxCommandException.class, e -> assertThat(e.getCode()).isEqualTo(120));
    }

    @Test
    void commandIdsAreFoundInEveryShape() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(AsyncCommand.commandIdOf(mapper.readTree("101"))).hasValue(mapper.readTree("101"));
        assertThat(AsyncCommand.commandIdOf(mapper.readTree("{\"command_id\": 102, \"view_id\": 3}")))
                .hasValue(mapper.readTree("102"));
        // G2's ids are mostly strings
        assertThat(AsyncCommand.commandIdOf(mapper.readTree("\"7\""))).hasValue(mapper.readTree("\"7\""));
        assertThat(AsyncCommand.commandIdOf(mapper.readTree("[1]"))).isEmpty();
        assertThat(AsyncCommand.commandIdOf(null)).isEmpty();
    }
}
