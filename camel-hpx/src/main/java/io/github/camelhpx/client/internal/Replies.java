package io.github.camelhpx.client.internal;

import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.camelhpx.client.HpxAuthException;
import io.github.camelhpx.client.HpxException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxServerException;

/** What a reply means for the call that got it. */
public final class Replies {

    private Replies() {
    }

    /**
     * Whether the server no longer knows the session: G1 answers a call in a lost session with a new one
     * ({@code "Authenticated"}) or an auth error; G2 with an auth error at the root or in a function's result.
     */
    public static boolean isSessionLost(Envelope reply, HpxProtocol protocol) {
        if (reply.isAuthenticated() || reply.hasError() && HpxAuthException.isAuthCode(reply.error().code())) {
            return true;
        }
        if (protocol == HpxProtocol.G2 && reply.data() instanceof RawResults raw) {
            return raw.lostSession();
        }
        if (protocol == HpxProtocol.G2 && reply.data().isArray()) {
            for (JsonNode result : reply.data()) {
                JsonNode code = result.path("error").path("code");
                if (code.canConvertToInt() && HpxAuthException.isAuthCode(code.intValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Throws the failure of a reply with a message-level error; a missing reply (G1's quit) has none. */
    public static void requireNoError(Envelope reply) {
        if (reply != null && reply.hasError()) {
            throw new CompletionException(failure(reply));
        }
    }

    /** The exception a reply with a message-level error (or of the wrong kind) stands for. */
    public static HpxException failure(Envelope reply) {
        if (!reply.hasError()) {
            return Envelope.anomaly("is not what the request asks for", reply.data());
        }
        int code = reply.error().code();
        String msg = reply.error().msg();
        return HpxAuthException.isAuthCode(code) ? HpxAuthException.of(code, msg) : new HpxServerException(code, msg);
    }
}
