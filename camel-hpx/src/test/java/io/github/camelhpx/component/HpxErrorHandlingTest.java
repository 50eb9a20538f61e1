package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxAuthRequiredException;
import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxFunctionException;
import io.github.camelhpx.client.HpxMissingCredentialsException;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.HpxServerException;
import io.github.camelhpx.client.HpxTimeoutException;
import io.github.camelhpx.client.HpxWrongCredentialsException;
import io.github.camelhpx.testkit.Fault;
import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every kind of HPX failure reaches the route's error handling as its typed exception. */
class HpxErrorHandlingTest extends HpxCamelTestSupport {

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", "secret")
            .function(FunctionSpec.of("crash").handler(call -> {
                throw new IllegalStateException("bug in the server");
            })));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() {
        return new RoutesBuilder[] { handledRoutes(), deadLetterRoute() };
    }

    private static RoutesBuilder deadLetterRoute() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:dead"));
                from("direct:dead").to("hpx:get_item?user=bob&password=secret&arg.item_id=0");
            }
        };
    }

    private static RoutesBuilder handledRoutes() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(HpxFunctionException.class).handled(true).to("mock:function");
                onException(HpxAuthException.class).handled(true).to("mock:auth");
                onException(HpxServerException.class).handled(true).to("mock:server");
                onException(ExchangeTimedOutException.class).handled(true).to("mock:timeout");
                onException(HpxConnectionException.class).handled(true).to("mock:connection");
                onException(HpxProtocolException.class).handled(true).to("mock:protocol");
                onException(IllegalArgumentException.class).handled(true).to("mock:invalid");

                from("direct:call").toD("hpx:${header.fn}?user=bob&password=secret");
                from("direct:wrongPassword").to("hpx:get_version?user=bob&password=wrong");
                from("direct:emptyCredentials").to("hpx:get_version?user=&password=");
                from("direct:guest").to("hpx:get_version");
                from("direct:slow").to("hpx:get_version?user=bob&password=secret&requestTimeout=200");
                from("direct:small").to("hpx:get_items?user=bob&password=secret&maxMessageSize=2000");
                from("direct:slowWelcome").to("hpx:get_version?user=bob&password=secret&connectTimeout=200&poolSize=1");
                from("direct:nowhere").to("hpx:get_version?port=1&connectTimeout=1000");
            }
        };
    }

    @Test
    void aFunctionErrorIsAnHpxFunctionException() throws Exception {
        HpxFunctionException e = failureAt("mock:function", () -> call("get_item", Map.of("item_id", 0)),
                HpxFunctionException.class);

        assertThat(e.getFunctionName()).isEqualTo("get_item");
        assertThat(e.getCode()).isEqualTo(404);
        assertThat(e.getServerMessage()).isEqualTo("A valid item id is required, not 0");
    }

    @Test
    void anUnknownFunctionIsAnHpxFunctionExceptionToo() throws Exception {
        HpxFunctionException e = failureAt("mock:function", () -> call("get_verison", null), HpxFunctionException.class);

        assertThat(e.getCode()).isEqualTo(403);
        assertThat(e.getServerMessage()).isEqualTo("Function not found: 'get_verison'");
    }

    @Test
    void aCrashOnTheServerIsAnHpxServerException() throws Exception {
        HpxServerException e = failureAt("mock:server", () -> call("crash", null), HpxServerException.class);

        assertThat(e.getCode()).isEqualTo(100);
        assertThat(e.getServerMessage()).contains("unhandled critical error");
    }

    @Test
    void wrongCredentialsAreAnHpxWrongCredentialsException() throws Exception {
        HpxWrongCredentialsException e = failureAt("mock:auth", () -> template.sendBody("direct:wrongPassword", null),
                HpxWrongCredentialsException.class);

        assertThat(e.getCode()).isEqualTo(411);
    }

    @Test
    void emptyCredentialsAreAnHpxAuthRequiredException() throws Exception {
        HpxAuthRequiredException e = failureAt("mock:auth", () -> template.sendBody("direct:emptyCredentials", null),
                HpxAuthRequiredException.class);

        assertThat(e.getCode()).isEqualTo(407);
    }

    @Test
    void aGuestOnAServerWithoutGuestsIsAnHpxMissingCredentialsException() throws Exception {
        HpxMissingCredentialsException e = failureAt("mock:auth", () -> template.sendBody("direct:guest", null),
                HpxMissingCredentialsException.class);

        assertThat(e.getCode()).isEqualTo(412);
    }

    @Test
    void noReplyWithinTheRequestTimeoutIsAnExchangeTimedOutException() throws Exception {
        call("get_version", null);
        server().faults().nextReply(Fault.delay(Duration.ofSeconds(2)));

        ExchangeTimedOutException e = failureAt("mock:timeout", () -> template.sendBody("direct:slow", null),
                ExchangeTimedOutException.class);

        assertThat(e.getTimeout()).isEqualTo(200);
        assertThat(e.getCause()).isInstanceOf(HpxTimeoutException.class);
    }

    @Test
    void noWelcomeWithinTheConnectTimeoutIsAnExchangeTimedOutException() throws Exception {
        server().faults().nextWelcome(Fault.delay(Duration.ofSeconds(2)));

        ExchangeTimedOutException e = failureAt("mock:timeout", () -> template.sendBody("direct:slowWelcome", null),
                ExchangeTimedOutException.class);

        // The connect timeout is what expired, not the request timeout.
        assertThat(e.getTimeout()).isEqualTo(200);
        assertThat(e.getCause()).isInstanceOf(HpxTimeoutException.class);
    }

    @Test
    void anUnreachableServerIsAnHpxConnectionException() throws Exception {
        HpxConnectionException e = failureAt("mock:connection", () -> template.sendBody("direct:nowhere", null),
                HpxConnectionException.class);

        assertThat(e.getCode()).isEqualTo(501);
        assertThat(e.getMessage()).contains(":1");
    }

    @Test
    void aServerThatHangsUpIsAnHpxServerDisconnectedException() throws Exception {
        call("get_version", null);
        // The pooled connection is closed, and so is the new one the call is retried on.
        server().faults().nextReply(Fault.close()).nextReply(Fault.close());

        HpxServerDisconnectedException e = failureAt("mock:connection", () -> call("get_version", null),
                HpxServerDisconnectedException.class);

        assertThat(e.getCode()).isEqualTo(502);
    }

    @Test
    void aReplyThatIsNotHpxIsAnHpxProtocolException() throws Exception {
        call("get_version", null);
        server().faults().nextReply(Fault.garbage());

        HpxProtocolException e = failureAt("mock:protocol", () -> call("get_version", null), HpxProtocolException.class);

        assertThat(e.getCode()).isEqualTo(500);
    }

    @Test
    void aReplyOverMaxMessageSizeIsAnHpxProtocolException() throws Exception {
        HpxProtocolException e = failureAt("mock:protocol", () -> template.sendBody("direct:small", null),
                HpxProtocolException.class);

        assertThat(e.getMessage()).contains("2000");
    }

    @Test
    void aBodyThatIsNoJsonObjectIsRejectedBeforeAnythingIsSent() throws Exception {
        IllegalArgumentException notJson = failureAt("mock:invalid",
                () -> template.sendBodyAndHeader("direct:call", "get version", "fn", "get_version"),
                IllegalArgumentException.class);
        IllegalArgumentException notObject = failureAt("mock:invalid",
                () -> template.sendBodyAndHeader("direct:call", 42, "fn", "get_version"), IllegalArgumentException.class);

        assertThat(notJson).hasMessageStartingWith("The body is not JSON");
        assertThat(notObject).hasMessage("The arguments of HPX function 'get_version' must be a JSON object, not NUMBER");
    }

    @Test
    void theDeadLetterChannelGetsTheTypedException() throws Exception {
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedMessageCount(1);

        template.sendBody("direct:dead", null);

        dead.assertIsSatisfied();
        Exception caught = dead.getExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(HpxFunctionException.class);
        assertThat(((HpxException) caught).getCode()).isEqualTo(404);
    }

    private void call(String fname, Map<String, ?> args) {
        template.sendBodyAndHeader("direct:call", args, "fn", fname);
    }

    /** Runs {@code send}, expects one exchange at {@code mock}, and returns the exception it was handled for. */
    private <T extends Exception> T failureAt(String mock, Runnable send, Class<T> type) throws Exception {
        MockEndpoint endpoint = getMockEndpoint(mock);
        endpoint.reset();
        endpoint.expectedMessageCount(1);
        send.run();
        endpoint.assertIsSatisfied();
        List<Exchange> handled = endpoint.getExchanges();
        Exception caught = handled.get(0).getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(type);
        return type.cast(caught);
    }
}
