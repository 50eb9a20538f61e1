package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Following an asynchronous HPX command (§8.1) to its end, and stopping it when the wait ends first. */
class AsyncCommandTest {

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b
            .commandDuration(Duration.ofMillis(400))
            .function(FunctionSpec.of("doomed").handler(call -> call.startCommand("doomed", Duration.ofMillis(100), null, true))));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<JsonNode> progress = new CopyOnWriteArrayList<>();
    private HpxClient client;

    @BeforeEach
    void connect() {
        client = TestClients.to(hpx.server()).build();
    }

    @AfterEach
    void close() {
        client.close();
        scheduler.shutdownNow();
    }

    private AsyncCommand follow(String function, Duration timeout) {
        JsonNode id = AsyncCommand.commandIdOf(client.call(function)).orElseThrow();
        return AsyncCommand.follow(client, id).pollInterval(Duration.ofMillis(50)).timeout(timeout)
                .onProgress((commandId, snapshot) -> progress.add(snapshot)).start(scheduler);
    }

    private String stateOnServer(String id) {
        return client.call("get_command_state", Map.of("command_ids", List.of(Long.parseLong(id)))).path(id).asText();
    }

    @Test
    void finishedCommandGivesItsValueAndReportsProgress() {
        AsyncCommand command = follow("check_update", Duration.ofSeconds(10));

        CommandResult result = command.result().join();

        assertThat(result.commandId()).isEqualTo(command.commandId());
        assertThat(Long.parseLong(result.commandId())).isGreaterThanOrEqualTo(100);
        assertThat(result.state()).isEqualTo(CommandState.FINISHED);
        assertThat(result.value().isObject()).isTrue();
        assertThat(progress).isNotEmpty().doesNotHaveDuplicates();
        assertThat(progress.get(0).has("percent")).isTrue();
    }

    @Test
    void timeoutStopsTheCommandOnTheServer() {
        hpx.server().close();
        try (var slow = io.github.camelhpx.testkit.HpxTestServer.builder().commandDuration(Duration.ofMinutes(5)).build().start();
             HpxClient slowClient = TestClients.to(slow).build()) {
            client = slowClient;
            AsyncCommand command = follow("check_update", Duration.ofMillis(300));

            assertThatThrownBy(() -> command.result().join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(HpxCommandTimeoutException.class);
            assertThat(stateOnServer(command.commandId())).isEqualTo("stopped");
        }
    }

    @Test
    void cancelStopsTheCommandOnTheServer() {
        AsyncCommand command = follow("check_update", Duration.ofSeconds(10));

        command.cancel().join();

        assertThatThrownBy(() -> command.result().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(CancellationException.class);
        await().until(() -> stateOnServer(command.commandId()).equals("stopped"));
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
