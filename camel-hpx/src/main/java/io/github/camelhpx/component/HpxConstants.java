package io.github.camelhpx.component;

import org.apache.camel.spi.Metadata;

/** The headers the {@code hpx} component reads and writes. */
public final class HpxConstants {

    @Metadata(label = "producer", javaType = "String",
              description = "The HPX function to call instead of the one in the endpoint's path.")
    public static final String FUNCTION = "CamelHpxFunction";

    @Metadata(label = "common", javaType = "String",
              description = "The function that was called. Set on the reply of a single call and on each result of"
                            + " a polling consumer, not on a batch. It is a header of its own so that a second hpx"
                            + " endpoint in the route still calls its own function.")
    public static final String CALLED_FUNCTION = "CamelHpxCalledFunction";

    @Metadata(label = "common", javaType = "String",
              description = "The id of the HPX session the call was made in, or the broadcast arrived in (32 hex"
                            + " characters); after hpx:handshake, the id of the new session. With sessionFromHeader"
                            + " the producer reads it: the call runs in that session. A bearer credential: do not"
                            + " log it or hand it to untrusted parties.")
    public static final String SESSION_ID = "CamelHpxSessionId";

    @Metadata(label = "producer", javaType = "String",
              description = "For hpx:handshake: the user to log in.")
    public static final String USER = "CamelHpxUser";

    @Metadata(label = "producer", javaType = "String", secret = true,
              description = "For hpx:handshake: the password of the user. The producer removes the header once it"
                            + " has read it.")
    public static final String PASSWORD = "CamelHpxPassword";

    @Metadata(label = "common", javaType = "String",
              description = "The name the HPX server gives itself in its messages.")
    public static final String SERVER_NAME = "CamelHpxServerName";

    @Metadata(label = "common", javaType = "String",
              description = "The server the call went to, or the broadcast came from, as host:port: with several"
                            + " servers in host, the one the component is on when the reply comes in, or the one that"
                            + " sent the broadcast.")
    public static final String SERVER = "CamelHpxServer";

    @Metadata(label = "common", javaType = "String",
              description = "The core version of the HPX server, e.g. 0.3.0. Not set on broadcasts.")
    public static final String SERVER_VERSION = "CamelHpxServerVersion";

    @Metadata(label = "common", javaType = "String",
              description = "The protocol generation the HPX server speaks: G1 (HPX 0.x) or G2 (HPX 1.0).")
    public static final String PROTOCOL = "CamelHpxProtocol";

    @Metadata(label = "producer", javaType = "Integer",
              description = "For a batch: how many of its calls failed. Each failed call's result has an error"
                            + " entry with code and msg.")
    public static final String BATCH_FAILURES = "CamelHpxBatchFailures";

    @Metadata(label = "producer", javaType = "String",
              description = "With awaitCommand: the id of the asynchronous command the function started, as text"
                            + " (an integer in HPX 0.x, mostly a string in HPX 1.0); also set on each progress"
                            + " message, and on an exchange that failed while waiting for the command.")
    public static final String COMMAND_ID = "CamelHpxCommandId";

    @Metadata(label = "producer", javaType = "String",
              description = "With awaitCommand: the state the command ended in (finished, or stopped when"
                            + " someone else stopped it); on a progress message, the command's state then; on an"
                            + " exchange that failed while waiting (timed out, failed, cancelled), the state the last"
                            + " poll saw. Always a name (in_queue, started, finished, ...), whether the server sent a"
                            + " name or a number.")
    public static final String COMMAND_STATE = "CamelHpxCommandState";

    @Metadata(label = "consumer", javaType = "String",
              description = "On an exchange of the broadcast consumer: which broadcast the server sent, ServerQuit or"
                            + " ServerRestart (the body is the broadcast's raw data, 1 or 2). The server closes every"
                            + " connection right after it.")
    public static final String BROADCAST = "CamelHpxBroadcast";

    private HpxConstants() {
    }
}
