package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.apache.camel.component.extension.ComponentVerifierExtension;
import org.apache.camel.component.extension.ComponentVerifierExtension.Result;
import org.apache.camel.component.extension.ComponentVerifierExtension.Scope;
import org.apache.camel.component.extension.ComponentVerifierExtension.VerificationError;
import org.apache.camel.component.extension.ComponentVerifierExtension.VerificationError.StandardCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The component verifier: options checked alone, then against the embedded server. */
class HpxComponentVerifierTest extends HpxCamelTestSupport {

    private static final String PASSWORD = "ver1fy-me";

    @RegisterExtension
    static final HpxTestServerExtension HPX = HpxTestServerExtension.create(server -> server
            .guestsAllowed(false)
            .user("bob", PASSWORD));

    @Override
    protected HpxTestServerExtension hpx() {
        return HPX;
    }

    @Test
    void goodParametersPass() {
        Result result = verify(Scope.PARAMETERS, Map.of("host", "hpx.example.org", "port", "7007", "user", "bob",
                "password", PASSWORD, "protocol", "g2"));

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.getStatus()).isEqualTo(Result.Status.OK);
    }

    @Test
    void aUserWithoutAPasswordIsAnIncompleteGroup() {
        for (Map<String, Object> parameters : List.<Map<String, Object>>of(Map.of("user", "bob"),
                Map.of("user", "bob", "password", ""))) {
            Result result = verify(Scope.PARAMETERS, parameters);

            assertThat(result.getStatus()).isEqualTo(Result.Status.ERROR);
            assertThat(result.getErrors()).singleElement().satisfies(error -> {
                assertThat(error.getCode()).isEqualTo(StandardCode.INCOMPLETE_PARAMETER_GROUP);
                assertThat(error.getParameterKeys()).containsExactlyInAnyOrder("user", "password");
                assertThat(error.getDescription()).contains("without a password");
            });
        }
    }

    @Test
    void badParametersAreNamedWithTheirCodes() {
        Result result = verify(Scope.PARAMETERS, Map.of("host", "", "port", "70000", "password", PASSWORD,
                "protocol", "g3", "colour", "blue"));

        assertThat(result.getStatus()).isEqualTo(Result.Status.ERROR);
        assertThat(errorFor(result, "host").getCode()).isEqualTo(StandardCode.ILLEGAL_PARAMETER_VALUE);
        assertThat(errorFor(result, "port").getCode()).isEqualTo(StandardCode.ILLEGAL_PARAMETER_VALUE);
        assertThat(errorFor(result, "password").getCode()).isEqualTo(StandardCode.INCOMPLETE_PARAMETER_GROUP);
        assertThat(errorFor(result, "password").getParameterKeys()).containsExactlyInAnyOrder("user", "password");
        assertThat(errorFor(result, "protocol").getCode()).isEqualTo(StandardCode.ILLEGAL_PARAMETER_VALUE);
        assertThat(errorFor(result, "colour").getCode()).isEqualTo(StandardCode.UNKNOWN_PARAMETER);
        assertThat(result.getErrors()).allSatisfy(error -> assertThat(error.getDescription()).doesNotContain(PASSWORD));
    }

    @Test
    void aPortThatIsNoNumberIsIllegal() {
        Result result = verify(Scope.PARAMETERS, Map.of("port", "http"));

        assertThat(errorFor(result, "port").getDescription()).isEqualTo("port must be a number from 1 to 65535, was 'http'");
    }

    @Test
    void theRightCredentialsConnect() {
        Result result = verify(Scope.CONNECTIVITY, server(Map.of("user", "bob", "password", PASSWORD)));

        assertThat(result.getErrors()).isEmpty();
        assertThat(result.getStatus()).isEqualTo(Result.Status.OK);
    }

    @Test
    void aWrongPasswordIsAnAuthenticationError() {
        Result result = verify(Scope.CONNECTIVITY, server(Map.of("user", "bob", "password", "not-" + PASSWORD)));

        assertThat(result.getStatus()).isEqualTo(Result.Status.ERROR);
        VerificationError error = errorFor(result, "password");
        assertThat(error.getCode()).isEqualTo(StandardCode.AUTHENTICATION);
        assertThat(error.getParameterKeys()).containsExactlyInAnyOrder("user", "password");
        assertThat(error.getDescription()).contains("411").doesNotContain(PASSWORD);
    }

    @Test
    void noCredentialsWhereGuestsAreRefusedIsAnAuthenticationErrorToo() {
        Result result = verify(Scope.CONNECTIVITY, server(Map.of()));

        assertThat(errorFor(result, "user").getCode()).isEqualTo(StandardCode.AUTHENTICATION);
    }

    @Test
    void anUnreachableServerIsAnExceptionOnHostAndPort() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Result result = verify(Scope.CONNECTIVITY, Map.of("host", "127.0.0.1", "port", closedPort, "connectTimeout", 2000));

        VerificationError error = errorFor(result, "port");
        assertThat(error.getCode()).isEqualTo(StandardCode.EXCEPTION);
        assertThat(error.getParameterKeys()).containsExactlyInAnyOrder("host", "port");
        assertThat(error.getDetails()).containsKey(VerificationError.ExceptionAttribute.EXCEPTION_CLASS);
    }

    private Result verify(Scope scope, Map<String, Object> parameters) {
        ComponentVerifierExtension verifier = context.getComponent("hpx").getExtension(ComponentVerifierExtension.class)
                .orElseThrow();
        return verifier.verify(scope, new HashMap<>(parameters));
    }

    /** The embedded server's address, plus {@code options}. */
    private Map<String, Object> server(Map<String, Object> options) {
        Map<String, Object> parameters = new HashMap<>(options);
        parameters.put("host", server().host());
        parameters.put("port", server().port());
        return parameters;
    }

    private static VerificationError errorFor(Result result, String parameter) {
        return result.getErrors().stream().filter(error -> error.getParameterKeys().contains(parameter)).findFirst()
                .orElseThrow(() -> new AssertionError("no error on " + parameter + " in " + result.getErrors()));
    }
}
