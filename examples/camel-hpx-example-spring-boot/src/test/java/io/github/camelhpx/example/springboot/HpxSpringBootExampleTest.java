package io.github.camelhpx.example.springboot;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example as its README runs it, against the embedded server: the Java routes, the YAML route and the health
 * report all print what the README shows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = "camel.main.duration-max-idle-seconds=0") // the test ends it, not the idle timer
@ExtendWith(OutputCaptureExtension.class)
class HpxSpringBootExampleTest {

    @Test
    void theDemoRunsAgainstTheEmbeddedServer(CapturedOutput output) {
        await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().contains("/actuator/health/camelHealth says"));
        assertThat(output.getOut())
                .contains("No HPX server configured")
                .contains("Connected to camel_hpx_spring_boot_example (HPX 0.3.0): get_version = {\"core\":[0,3,0]")
                .contains("Batch of 3 calls, 1 failed: [{\"fname\":\"get_count\",\"data\":{\"count\":40}}")
                .contains("search_items 'summer' found: Gentle Summer 3, Golden Summer Ōkami 1, Little Summer 8")
                .contains("The library holds 40 galleries (YAML route)")
                .contains("Handled by onException: HPX function 'get_item' failed with 404")
                // the hpx component's health checks, through Actuator: its producers and the broadcast consumer
                .containsPattern("camelHealth says UP \\(context UP; hpx \\[127\\.0\\.0\\.1:\\d+\\]: producer:hpx-\\S+ UP, .*"
                                 + "consumer:broadcasts UP; \\d+ more route and consumer checks\\)")
                .doesNotContain("SECURITY WARNING");
    }

    @Test
    void aConfiguredServerIsUsedAsItIs() {
        EmbeddedHpxServer listener = new EmbeddedHpxServer();
        MockEnvironment environment = new MockEnvironment().withProperty("hpx.host", "hpx.example.org")
                .withProperty("hpx.user", "bob");
        listener.configure(environment);
        assertThat(listener.server()).isNull();
        assertThat(environment.getProperty("camel.component.hpx.host")).isEqualTo("hpx.example.org");
        assertThat(environment.getProperty("camel.component.hpx.user")).isEqualTo("bob");
        assertThat(environment.containsProperty("camel.component.hpx.password")).as("a guest has none").isFalse();
        assertThat(environment.containsProperty("camel.component.hpx.port")).as("the component's default").isFalse();

        EmbeddedHpxServer untouched = new EmbeddedHpxServer();
        MockEnvironment direct = new MockEnvironment().withProperty("camel.component.hpx.host", "hpx.example.org");
        untouched.configure(direct);
        assertThat(untouched.server()).isNull();
        assertThat(direct.getPropertySources().contains(EmbeddedHpxServer.SOURCE_NAME)).isFalse();
    }
}
