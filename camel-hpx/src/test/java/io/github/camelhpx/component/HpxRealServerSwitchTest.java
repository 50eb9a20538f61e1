package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.HpxTestServerExtension;
import io.github.camelhpx.testkit.Protocol;
import io.github.camelhpx.testkit.ReceivedMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The real-server switch: test classes run with the {@code hpx.it.*} parameters against a server started apart
 * (an embedded one standing in for a real HPX server, with credentials of its own), as
 * {@code mvn test -Dhpx.it.host=...} runs them against a real one.
 */
class HpxRealServerSwitchTest {

    private static final String USER = "alice";
    private static final String PASSWORD = "stand-1n-pa55";

    private HpxTestServer standIn;

    @BeforeEach
    void startStandIn() {
        Protocol protocol = Protocol.valueOf(System.getProperty(HpxTestServerExtension.PROTOCOL_PROPERTY, "g1")
                .toUpperCase());
        standIn = HpxTestServer.builder().protocol(protocol).serverName("stand_in").guestsAllowed(false)
                .user(USER, PASSWORD).build().start();
    }

    @AfterEach
    void stopStandIn() {
        standIn.close();
    }

    @Test
    void aClassThatAllowsItRunsAgainstTheNamedServerAndSkipsWhatNeedsTheEmbeddedOne() {
        Run run = launch(HpxRealServerTest.class);

        assertThat(run.summary.getTestsFailedCount()).as(run.failures()).isZero();
        assertThat(run.summary.getTestsSucceededCount()).isEqualTo(4);
        assertThat(run.skipped).singleElement().asString()
                .startsWith("theServerSeesTheClientsName: Assumption failed: needs the embedded HPX server's internals; skipped against"
                            + " the real server " + standIn.host() + ":" + standIn.port());
        // The calls went to the named server, with its credentials; the class's own embedded server never started.
        assertThat(standIn.receivedMessages()).extracting(ReceivedMessage::name).contains("camel-hpx");
        assertThat(standIn.receivedMessages()).filteredOn(message -> message.data() != null)
                .extracting(message -> message.data().path("user").asText()).contains(USER);
    }

    @Test
    void aClassThatReliesOnTheEmbeddedServerIsSkippedAsAWhole() {
        Run run = launch(HpxSendDynamicTest.class);

        assertThat(run.summary.getTestsStartedCount()).isZero();
        assertThat(run.skipped).singleElement().asString().startsWith("HpxSendDynamicTest: Assumption failed: runs against the embedded"
                                                                      + " HPX server only");
        assertThat(standIn.receivedMessages()).isEmpty();
    }

    private Run launch(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameters(Map.of(
                        HpxTestServerExtension.REAL_HOST, standIn.host(),
                        HpxTestServerExtension.REAL_PORT, String.valueOf(standIn.port()),
                        HpxTestServerExtension.REAL_PROTOCOL, standIn.protocol().name(),
                        HpxTestServerExtension.REAL_USER, USER,
                        HpxTestServerExtension.REAL_PASSWORD, PASSWORD))
                .build();
        Run run = new Run();
        LauncherFactory.create().execute(request, run.listener, run);
        run.summary = run.listener.getSummary();
        return run;
    }

    /** What one launch did: the summary, and what was skipped (or aborted) and why. */
    private static final class Run implements TestExecutionListener {

        final SummaryGeneratingListener listener = new SummaryGeneratingListener();
        final List<String> skipped = new CopyOnWriteArrayList<>();
        TestExecutionSummary summary;

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                skipped.add(test.getDisplayName().replace("()", "") + ": "
                            + result.getThrowable().map(Throwable::getMessage).orElse(""));
            }
        }

        String failures() {
            StringBuilder text = new StringBuilder();
            listener.getSummary().getFailures().forEach(f -> text.append(f.getTestIdentifier().getDisplayName())
                    .append(": ").append(f.getException()).append('\n'));
            return text.toString();
        }
    }
}
