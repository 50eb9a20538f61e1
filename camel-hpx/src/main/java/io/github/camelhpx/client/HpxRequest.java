package io.github.camelhpx.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.POJONode;

import io.github.camelhpx.client.internal.Credentials;
import io.github.camelhpx.client.internal.Durations;
import io.github.camelhpx.client.internal.Envelope;
import io.github.camelhpx.client.internal.RawResults;
import io.github.camelhpx.client.internal.ReplyReading;
import io.github.camelhpx.client.internal.ResultMatcher;

/**
 * One request to the server and what its caller gets back: a function's data (as a tree or bound to a type), a
 * batch's results, the reply unparsed, or a server command's answer. Immutable; run it blocking with
 * {@link HpxClient#execute} or asynchronously with {@link HpxClient#executeAsync}, within one deadline that
 * covers every step of the call (a connection, the handshake, the reply, a renewal, a retry).
 *
 * <pre>{@code
 * List<Gallery> galleries = hpx.execute(HpxRequest.function("get_items", Map.of("limit", 50))
 *         .as(new TypeReference<List<Gallery>>() { })
 *         .timeout(Duration.ofSeconds(5)));
 * }</pre>
 * A gateway that serves many users over one client logs each in with {@link #login} and runs their requests
 * {@link #inSession in their own session}; see {@link HpxClient#login}.
 *
 * @param <T> what the caller gets
 */
public final class HpxRequest<T> {

    private final List<FunctionCall> calls;
    private final ServerCommand command;
    private final Credentials login;
    private final String session;
    private final Reply<T> reply;
    private final Duration timeout;

    private HpxRequest(List<FunctionCall> calls, ServerCommand command, Credentials login, String session,
            Reply<T> reply, Duration timeout) {
        this.calls = calls;
        this.command = command;
        this.login = login;
        this.session = session;
        this.reply = reply;
        this.timeout = timeout;
    }

    /** One function's {@code data}; a failure of the function throws {@link HpxFunctionException}. */
    public static HpxRequest<JsonNode> function(String fname, Map<String, ?> args) {
        return new HpxRequest<>(List.of(FunctionCall.of(fname, args)), null, null, null, Reply.DATA, null);
    }

    /** Several calls in one message, one result per call in the order of {@code calls}. */
    public static HpxRequest<List<FunctionResult>> batch(List<FunctionCall> calls) {
        return new HpxRequest<>(List.copyOf(calls), null, null, null, Reply.RESULTS, null);
    }

    /** A server command; see {@link HpxClient#sendCommand(ServerCommand)}. */
    public static HpxRequest<JsonNode> command(ServerCommand command) {
        return new HpxRequest<>(List.of(), Objects.requireNonNull(command, "command"), null, null, Reply.COMMAND, null);
    }

    /**
     * A login of another user, whose new session id is the result: a session of its own, which the client's own
     * session is not affected by and which the client does not keep; see {@link HpxClient#login}.
     */
    public static HpxRequest<String> login(String user, String password) {
        return new HpxRequest<>(List.of(), null, new Credentials(user, password), null, Reply.LOGIN, null);
    }

    /**
     * The same request in the session {@code sessionId} (made by {@link #login}, or by any client of the server)
     * instead of the client's own. When the server no longer knows that session the request fails with
     * {@link HpxSessionLostException}: the client never logs in again for it, and never falls back to its own
     * session. For function calls, batches and {@link ServerCommand#DROP_AUTH} (the logout of that session).
     */
    public HpxRequest<T> inSession(String sessionId) {
        if (sessionId == null || sessionId.isEmpty()) {
            throw new IllegalArgumentException("sessionId must not be empty");
        }
        if (login != null || command != null && command != ServerCommand.DROP_AUTH) {
            throw new IllegalStateException("inSession(..) is for function calls, batches and DROP_AUTH, not for "
                    + (login != null ? "a login" : command.wireName()));
        }
        return new HpxRequest<>(calls, command, null, sessionId, reply, timeout);
    }

    /**
     * The function's data bound to {@code type} with the client's {@link ObjectMapper} while the reply is
     * decoded: a big result never exists as a tree as well. For a request made by {@link #function}.
     */
    public <U> HpxRequest<U> as(Class<U> type) {
        return bound(mapper -> mapper.constructType(type));
    }

    /** {@link #as(Class)} for a generic type, e.g. {@code new TypeReference<List<Gallery>>() {}}. */
    public <U> HpxRequest<U> as(TypeReference<U> type) {
        return bound(mapper -> mapper.constructType(type));
    }

    /**
     * The reply message as the server encoded it, unparsed: G1 the UTF-8 JSON, G2 the MessagePack bytes. For a
     * request made by {@link #batch}. Failures of the whole message throw (and a lost session is renewed), but a
     * function's own failure stays in its result's {@code error}, and the results are in the server's order. In a
     * user's session ({@link #inSession}) on HPX 0.x, after a batch of that session failed as a whole, the server adds
     * that batch's validation errors to the next reply on the session's connection, which the client keeps (closing it
     * would end the session): a raw reply then carries them as results of their own, which the other readings drop.
     */
    public HpxRequest<byte[]> raw() {
        requireBatch("raw()");
        return new HpxRequest<>(calls, null, null, session, Reply.RAW, timeout);
    }

    /** The whole call's timeout, instead of the client's {@code requestTimeout}. */
    public HpxRequest<T> timeout(Duration timeout) {
        return new HpxRequest<>(calls, command, login, session, reply, Durations.requirePositive(timeout, "timeout"));
    }

    List<FunctionCall> calls() {
        return calls;
    }

    ServerCommand command() {
        return command;
    }

    /** The credentials of a login request, or {@code null}. */
    Credentials login() {
        return login;
    }

    /** The session given by {@link #inSession}, or {@code null} for the client's own. */
    String session() {
        return session;
    }

    Duration timeout() {
        return timeout;
    }

    ReplyReading reading(ObjectMapper mapper) {
        return reply.reading(mapper);
    }

    T result(Envelope envelope, HpxProtocol protocol) {
        return reply.result(calls, envelope, protocol);
    }

    private <U> HpxRequest<U> bound(java.util.function.Function<ObjectMapper, JavaType> type) {
        if (reply != Reply.DATA) {
            throw new IllegalStateException("as(type) binds one function's data: make the request with function(..)");
        }
        return new HpxRequest<>(calls, null, null, session, new Reply<U>() {
            @Override
            ReplyReading reading(ObjectMapper mapper) {
                return ReplyReading.bound(type.apply(mapper));
            }

            @SuppressWarnings("unchecked")
            @Override
            U result(List<FunctionCall> calls, Envelope envelope, HpxProtocol protocol) {
                JsonNode data = DATA.result(calls, envelope, protocol);
                return data instanceof POJONode pojo ? (U) pojo.getPojo() : null;
            }
        }, timeout);
    }

    private void requireBatch(String method) {
        if (reply != Reply.RESULTS) {
            throw new IllegalStateException(method + " is for a request made by batch(..)");
        }
    }

    /** How a request's reply is read, and what of it the caller gets. */
    private abstract static class Reply<R> {

        static final Reply<JsonNode> DATA = new Reply<>() {
            @Override
            JsonNode result(List<FunctionCall> calls, Envelope envelope, HpxProtocol protocol) {
                return RESULTS.result(calls, envelope, protocol).get(0).dataOrThrow();
            }
        };

        static final Reply<List<FunctionResult>> RESULTS = new Reply<>() {
            @Override
            List<FunctionResult> result(List<FunctionCall> calls, Envelope envelope, HpxProtocol protocol) {
                return ResultMatcher.inRequestOrder(calls, envelope.data(), protocol);
            }
        };

        static final Reply<byte[]> RAW = new Reply<>() {
            @Override
            ReplyReading reading(ObjectMapper mapper) {
                return ReplyReading.RAW;
            }

            @Override
            byte[] result(List<FunctionCall> calls, Envelope envelope, HpxProtocol protocol) {
                if (!(envelope.data() instanceof RawResults results)) {
                    throw Envelope.anomaly("to a function call is not a list of function results", envelope.data());
                }
                return results.binaryValue();
            }
        };

        static final Reply<String> LOGIN = new Reply<>() {
            @Override
            String result(List<FunctionCall> calls, Envelope envelope, HpxProtocol protocol) {
                return envelope.session();
            }
        };

        static final Reply<JsonNode> COMMAND = new Reply<>() {
            @Override
            JsonNode result(List<FunctionCall> calls, Envelope envelope, HpxProtocol protocol) {
                return envelope == null ? null : envelope.data();
            }
        };

        ReplyReading reading(ObjectMapper mapper) {
            return ReplyReading.TREE;
        }

        abstract R result(List<FunctionCall> calls, Envelope envelope, HpxProtocol protocol);
    }
}
