package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A server's error text reaches logs through the exceptions: the session id some of them name must not. */
class HpxServerExceptionTest {

    private static final String SESSION = "0123456789abcdef0123456789abcdef";

    @Test
    void theSessionIdInTheServersExpiredMessageIsMasked() {
        // The 0.3.0 server's text for 408, which a call whose renewed session expired at once gets as it is.
        HpxAuthException expired = HpxAuthException.of(408, "Session '" + SESSION + "' has expired");

        assertThat(expired).isInstanceOf(HpxSessionExpiredException.class);
        assertThat(expired.getMessage()).isEqualTo("HPX server error 408: Session 'xxxxxx' has expired");
        assertThat(expired.getServerMessage()).isEqualTo("Session 'xxxxxx' has expired");
    }

    @Test
    void aSessionIdInAFunctionsErrorIsMaskedToo() {
        // G2 reports a lost session in a function's result as well as at the root.
        HpxFunctionException failed = new HpxFunctionException("get_version", 407, "Session '" + SESSION + "' is invalid");

        assertThat(failed.getMessage()).isEqualTo("HPX function 'get_version' failed with 407: Session 'xxxxxx' is invalid");
        assertThat(failed.getServerMessage()).isEqualTo("Session 'xxxxxx' is invalid");
    }

    @Test
    void otherHexadecimalTextIsLeftAsItIs() {
        String sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";

        HpxServerException error = new HpxServerException(100, "Gallery " + sha1 + " is broken");

        assertThat(error.getServerMessage()).isEqualTo("Gallery " + sha1 + " is broken");
    }
}
