package io.github.camelhpx.example.quarkus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import jakarta.inject.Inject;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.quarkus.core.CamelRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example's demo, as {@link HpxQuarkusExample#run} runs it, against the embedded server (here started by the
 * testkit's Quarkus test resource, with the example's server name and user): the Java routes, the YAML route and
 * the health report print what the README shows, and {@code /q/health/ready} reports the hpx checks.
 */
@QuarkusTest
@WithTestResource(value = HpxTestServerResource.class, initArgs = {
        @ResourceArg(name = "serverName", value = EmbeddedHpxServer.SERVER_NAME),
        @ResourceArg(name = "user", value = EmbeddedHpxServer.DEMO_USER) })
class HpxQuarkusExampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CamelRuntime camel;

    @Inject
    CamelContext context;

    @Inject
    ProducerTemplate template;

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    /** Injected by HpxTestServerResource */
    HpxTestServer server;

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLoggerName() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** As HpxQuarkusExample.run does: an application with its own main starts Camel itself. */
    @BeforeEach
    void startCamel() {
        if (!context.isStarted()) {
            camel.start(new String[0]);
        }
    }

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void theDemoRunsAgainstTheEmbeddedServer() {
        template.sendBody("direct:demo", null); // what HpxQuarkusExample.run does next

        String output = String.join("\n", logged);
        assertThat(output)
                .contains("version Connected to camel_hpx_quarkus_example (HPX 0.3.0): get_version = {\"core\":[0,3,0]")
                .contains("batch Batch of 3 calls, 1 failed: [{\"fname\":\"get_count\",\"data\":{\"count\":40}}")
                .contains("search search_items 'summer' found: Gentle Summer 3, Golden Summer Ōkami 1, Little Summer 8")
                .contains("count The library holds 40 galleries (YAML route)")
                .contains("missing Handled by onException: HPX function 'get_item' failed with 404")
                .containsPattern("health http://localhost:\\d+/q/health/ready says UP \\(camel-hpx: .*"
                                 + "consumer:broadcasts UP 127\\.0\\.0\\.1:\\d+.*\\)")
                .doesNotContain("Not reached");
    }

    @Test
    void theHealthEndpointShowsTheHpxChecks() throws IOException, InterruptedException {
        template.sendBody("direct:version", null); // a producer that has called: its check is UP

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(readiness).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode hpx = null;
        for (JsonNode check : health.path("checks")) {
            if (check.path("name").asText().equals("camel-hpx")) {
                hpx = check;
            }
        }
        String server = this.server.host() + ":" + this.server.port();
        assertThat(hpx.path("name").asText()).isEqualTo("camel-hpx");
        assertThat(hpx.path("status").asText()).isEqualTo("UP");
        assertThat(hpx.path("data").path("consumer:broadcasts").asText()).isEqualTo("UP " + server);
        assertThat(hpx.path("data").properties()).anySatisfy(data -> {
            assertThat(data.getKey()).startsWith("producer:hpx-");
            assertThat(data.getValue().asText()).isEqualTo("UP " + server);
        });
    }
}
