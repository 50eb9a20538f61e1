package io.github.camelhpx.component;

import java.util.List;

import io.github.camelhpx.client.FunctionCall;
import io.github.camelhpx.client.ServerCommand;

/** What one exchange asks of the server, as {@link HpxRequestReader} read it from the message. */
sealed interface HpxExchangeRequest {

    /** One function call; its reply body is the function's data. */
    record Call(FunctionCall call) implements HpxExchangeRequest {
    }

    /** Several calls in one message; the reply body lists their results in this order. */
    record Batch(List<FunctionCall> calls) implements HpxExchangeRequest {
    }

    /** A server command the endpoint is allowed to send. */
    record Command(ServerCommand command) implements HpxExchangeRequest {
    }

    /** A login of the user in the message's headers; the reply's session header carries the new session. */
    record Login(String user, String password) implements HpxExchangeRequest {

        @Override
        public String toString() {
            return "Login[user=" + user + ", password=******]";
        }
    }
}
