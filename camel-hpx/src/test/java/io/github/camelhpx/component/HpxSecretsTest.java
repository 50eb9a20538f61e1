package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;

import io.github.camelhpx.client.HpxClient;
import io.github.camelhpx.client.HpxWrongCredentialsException;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.CamelContextHelper;
import org.apache.camel.util.URISupport;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The password never shows: not in logs, not in exceptions, not in the URIs Camel prints. Set on the component
 * it is absent even from Camel's TRACE logging; in an endpoint URI it is absent up to DEBUG (Camel's own TRACE
 * lines of endpoint resolution print URIs as written, which no component can prevent).
 */
class HpxSecretsTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "Pa55-w0rd-never-shown";
    private static final String WRONG = "Wr0ng-pa55-never-shown";

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Test
    void aPasswordSetOnTheComponentIsNotLoggedAtAnyLevel() throws Exception {
        String shown;
        try (LogCapture logs = new LogCapture(Level.ALL)) {
            HpxComponent hpx = context.getComponent("hpx", HpxComponent.class);
            hpx.getConfiguration().setUser("bob");
            hpx.getConfiguration().setPassword(PASSWORD);
            addRoute("direct:right", "hpx:get_version");
            Exchange right = template.request("direct:right", null);
            hpx.getConfiguration().setPassword(WRONG);
            addRoute("direct:wrong", "hpx:get_count");
            Exchange wrong = template.request("direct:wrong", null);
            context.stop();

            assertThat(right.getException()).isNull();
            assertThat(wrong.getException()).isInstanceOf(HpxWrongCredentialsException.class);
            shown = logs.text() + stackTrace(wrong.getException()) + context.getEndpoints();
        }
        assertThat(shown).contains("get_version", "get_count", "Wrong credentials")
                .doesNotContain(PASSWORD).doesNotContain(WRONG);
    }

    @Test
    void aPasswordInTheUriIsHiddenInLogsErrorsAndEndpointUris() throws Exception {
        String shown;
        try (LogCapture logs = new LogCapture(Level.DEBUG)) {
            addRoute("direct:right", "hpx:get_version?user=bob&password=" + PASSWORD);
            addRoute("direct:wrong", "hpx:get_version?user=bob&password=RAW(" + WRONG + ")");
            Exchange right = template.request("direct:right", null);
            Exchange wrong = template.request("direct:wrong", null);
            String endpoints = context.getEndpoints().toString();
            context.stop();

            assertThat(right.getException()).isNull();
            assertThat(wrong.getException()).isInstanceOf(HpxWrongCredentialsException.class);
            assertThat(endpoints).contains("hpx://get_version?password=xxxxxx");
            shown = logs.text() + stackTrace(wrong.getException()) + endpoints;
        }
        assertThat(shown).contains("Wrong credentials").doesNotContain(PASSWORD).doesNotContain(WRONG);
    }

    @Test
    void aSessionIdInTheUriIsHiddenInEndpointUrisAndLogs() throws Exception {
        String shown;
        String session;
        // The session of another client, which stays connected: a G1 session dies with its last connection.
        try (HpxClient other = HpxClient.builder().host(server().host()).port(server().port())
                .credentials("bob", PASSWORD).build();
             LogCapture logs = new LogCapture(Level.DEBUG)) {
            session = other.authenticate();
            addRoute("direct:session", "hpx:get_version?sessionId=" + session);
            Exchange reply = template.request("direct:session", null);
            String endpoints = context.getEndpoints().toString();
            context.stop();

            assertThat(reply.getException()).isNull();
            assertThat(endpoints).contains("hpx://get_version?sessionId=xxxxxx");
            shown = logs.text() + endpoints;
        }
        assertThat(shown).doesNotContain(session);
    }

    /**
     * An application's own sensitive keywords and ours are masked together, whichever was set first: Camel keeps one
     * global list, which {@code URISupport.addSanitizeKeywords} replaces. On the context's list, the session id is
     * also masked in Camel Main's summary of the options it configured.
     */
    @Test
    void aSessionIdIsMaskedBesideTheApplicationsOwnSensitiveKeywords() throws Exception {
        String session = "0123456789abcdef0123456789abcdef";
        // With a trailing comma: an empty keyword in Camel's pattern would mask every option of every URI.
        context.getCamelContextExtension().setAdditionalSensitiveKeywords("voucher,");

        String shown = context.getEndpoint("hpx:get_version?sessionId=" + session).toString();

        assertThat(shown).contains("sessionId=xxxxxx").doesNotContain(session);
        assertThat(URISupport.sanitizeUri("hpx:get_version?sessionId=" + session)).doesNotContain(session);
        assertThat(URISupport.sanitizeUri("other:x?voucher=v0uch3r")).doesNotContain("v0uch3r");
        assertThat(URISupport.sanitizeUri("other:x?name=plain")).contains("name=plain");
        assertThat(CamelContextHelper.containsSensitive(context, "camel.component.hpx.sessionId")).isTrue();
        assertThat(CamelContextHelper.containsSensitive(context, "camel.component.other.voucher")).isTrue();
    }

    private void addRoute(String from, String to) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).to(to);
            }
        });
    }

    private static String stackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
