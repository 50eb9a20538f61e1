package io.github.camelhpx.example.quarkus;

import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.testkit.HpxTestServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the example's main does before Quarkus starts: the embedded server only when no server is configured. */
class EmbeddedHpxServerTest {

    @Test
    void withoutAServerConfiguredItStartsTheEmbeddedOneAndConfiguresTheComponent() throws Exception {
        Properties system = new Properties();
        try (HpxTestServer server = EmbeddedHpxServer.startUnlessConfigured(name -> null, system,
                new Properties())) {
            assertThat(server).isNotNull();
            assertThat(system).containsEntry("camel.component.hpx.host", server.host())
                    .containsEntry("camel.component.hpx.port", String.valueOf(server.port()))
                    .containsEntry("camel.component.hpx.user", EmbeddedHpxServer.DEMO_USER);
            // the generated password logs in (no guests on this server)
            try (HpxClient hpx = HpxClient.builder().host(server.host()).port(server.port())
                    .credentials(EmbeddedHpxServer.DEMO_USER, system.getProperty("camel.component.hpx.password"))
                    .build()) {
                JsonNode version = hpx.call("get_version");
                assertThat(version.path("core").toString()).isEqualTo("[0,3,0]");
            }
        }
    }

    @Test
    void theExamplesOwnPropertiesConfigureNoServer() {
        assertThat(EmbeddedHpxServer.applicationProperties()).containsKey("camel.component.hpx.client-name")
                .doesNotContainKey("camel.component.hpx.host");
    }

    @Test
    void aConfiguredServerIsLeftAlone() {
        Properties system = new Properties();
        assertThat(EmbeddedHpxServer.startUnlessConfigured(Map.of("CAMEL_COMPONENT_HPX_HOST", "hpx.example.org")::get,
                system, new Properties())).isNull();
        assertThat(system).isEmpty();

        Properties application = new Properties();
        application.setProperty("camel.component.hpx.host", "hpx.example.org");
        assertThat(EmbeddedHpxServer.startUnlessConfigured(name -> null, system, application)).isNull();
        assertThat(system).isEmpty();

        system.setProperty("camel.component.hpx.host", "hpx.example.org");
        assertThat(EmbeddedHpxServer.startUnlessConfigured(name -> null, system, new Properties())).isNull();
        assertThat(system).hasSize(1);
    }
}
