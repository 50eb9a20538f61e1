package io.github.camelhpx.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import com.fasterxml.jackson.databind.JsonNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket to an HPX server, used in strict lock-step: a request, then its reply, then the next request (the
 * server cannot handle pipelined messages). Broadcasts that arrive while a reply is awaited go to the
 * {@link BroadcastDispatcher} and are never taken for the reply. Any failure closes the connection, so a late
 * or stray reply can never reach a later caller.
 * <p>
 * Used by one thread at a time; {@link #close()} may come from any thread.
 */
final class HpxConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HpxConnection.class);

    private final Socket socket;
    private final DeadlineInputStream in;
    private final OutputStream out;
    private final FrameDecoder frames;
    private final MessageCodec codec;
    private final ClientSettings settings;
    private final BroadcastDispatcher broadcasts;
    private final Welcome welcome;
    private long epoch;
    private boolean exchanged;
    private volatile boolean closed;

    private HpxConnection(Socket socket, ClientSettings settings, BroadcastDispatcher broadcasts) throws IOException {
        this.socket = socket;
        this.settings = settings;
        this.broadcasts = broadcasts;
        this.epoch = broadcasts.epoch();
        this.in = new DeadlineInputStream(socket);
        this.out = socket.getOutputStream();
        this.frames = new FrameDecoder(settings.maxMessageSize());
        this.codec = new MessageCodec(settings.mapper(), settings.compressionLevel(), settings.maxMessageSize());
        Envelope first = receive(settings.connectTimeout(), ReplyReading.TREE);
        this.welcome = first.welcome().orElseThrow(() -> {
            close();
            return Envelope.anomaly("is not the welcome an HPX server sends first", first.data());
        });
    }

    /** Connects, and reads the server's welcome within the connect timeout. */
    static HpxConnection open(ClientSettings settings, BroadcastDispatcher broadcasts) {
        return open(settings, broadcasts, socket -> { });
    }

    /**
     * Like {@link #open(ClientSettings, BroadcastDispatcher)}, first handing the socket to {@code attempt}, so
     * that closing it from another thread aborts the connect and the welcome.
     */
    static HpxConnection open(ClientSettings settings, BroadcastDispatcher broadcasts, Consumer<Socket> attempt) {
        Socket socket = connect(settings, attempt);
        try {
            return new HpxConnection(socket, settings, broadcasts);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e instanceof RuntimeException r ? r : transportFailure(settings, (IOException) e);
        }
    }

    Welcome welcome() {
        return welcome;
    }

    /** Whether a request went over this connection before, i.e. it sat in the pool and may have gone stale. */
    synchronized boolean hasExchanged() {
        return exchanged;
    }

    boolean isClosed() {
        return closed;
    }

    /** Sends one message and waits for its reply, skipping (and dispatching) broadcasts. */
    synchronized Envelope exchange(String session, JsonNode data, Duration timeout) {
        return exchange(session, data, timeout, ReplyReading.TREE);
    }

    /** Like {@link #exchange(String, JsonNode, Duration)}, reading the reply as {@code reading} says. */
    synchronized Envelope exchange(String session, JsonNode data, Duration timeout, ReplyReading reading) {
        exchanged = true;
        send(session, data);
        return receive(timeout, reading);
    }

    /** Sends one message whose only answer is a broadcast followed by the server closing the connection. */
    synchronized void sendAndAwaitClose(String session, JsonNode data, Duration timeout) {
        send(session, data);
        try {
            Envelope unexpected = receive(timeout, ReplyReading.TREE);
            close();
            throw Envelope.anomaly("answered a quit or restart command", unexpected.data());
        } catch (HpxServerDisconnectedException expected) {
            // The server closed the connection after its broadcast, as it should.
        }
    }

    /**
     * Reads until the connection ends, handing every broadcast to the dispatcher; for a connection that only
     * listens. Ends with the exception that closed it: usually {@link HpxServerDisconnectedException} after a
     * broadcast, or any {@link HpxConnectionException} when {@link #close()} is called from another thread.
     */
    synchronized void listen() {
        Envelope stray = receive(null, ReplyReading.TREE);
        close();
        throw Envelope.anomaly("arrived unasked on a listening connection", stray.data());
    }

    /**
     * Whether the connection can carry another request. Bytes the server sent unasked mean it is going away
     * (a broadcast, then the close) or is out of step; either way the connection is read out and retired.
     */
    synchronized boolean isReusable() {
        if (closed) {
            return false;
        }
        try {
            if (!frames.hasBufferedBytes() && in.available() == 0) {
                return true;
            }
            Envelope stray = receive(settings.connectTimeout(), ReplyReading.TREE);
            LOG.warn("Dropping a message the HPX server sent unasked on an idle connection: {}",
                    Envelope.preview(stray.data()));
        } catch (IOException | HpxException e) {
            LOG.debug("Retiring an idle HPX connection the server left: {}", e.getMessage());
        }
        close();
        return false;
    }

    private void send(String session, JsonNode data) {
        if (closed) {
            throw new HpxServerDisconnectedException("HPX connection is closed");
        }
        GrowableBuffer frame = codec.encode(session, settings.clientName(), data);
        try {
            // Payload and delimiter in one write: with two, Nagle and delayed ACKs stall every call.
            out.write(frame.array(), 0, frame.size());
            out.flush();
        } catch (IOException e) {
            close();
            throw transportFailure(settings, e);
        }
    }

    /** Reads the next message that is no broadcast, within {@code timeout} ({@code null}: as long as it takes). */
    private Envelope receive(Duration timeout, ReplyReading reading) {
        in.deadline(timeout == null ? DeadlineInputStream.NONE : System.nanoTime() + timeout.toNanos());
        try {
            while (true) {
                Envelope message = reading.read(codec, frames.read(in));
                frames.release();
                Optional<ServerCommand> broadcast = message.broadcast();
                if (broadcast.isEmpty()) {
                    return message;
                }
                epoch = broadcasts.dispatch(epoch,
                        new Broadcast(broadcast.get(), message.data(), message.serverName(), message.session()));
            }
        } catch (SocketTimeoutException e) {
            close();
            throw new HpxTimeoutException("no reply from HPX server " + address(settings) + " within " + timeout,
                    timeout, e);
        } catch (IOException e) {
            close();
            throw transportFailure(settings, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(socket);
        synchronized (this) {
            codec.close();
        }
    }

    private static Socket connect(ClientSettings settings, Consumer<Socket> attempt) {
        Socket plain = new Socket();
        attempt.accept(plain);
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            int timeoutMillis = (int) settings.connectTimeout().toMillis();
            plain.connect(new InetSocketAddress(settings.host(), settings.port()), timeoutMillis);
            if (settings.sslContext() == null) {
                return plain;
            }
            SSLSocket tls = (SSLSocket) settings.sslContext().getSocketFactory()
                    .createSocket(plain, settings.host(), settings.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(timeoutMillis);
            tls.startHandshake();
            return tls;
        } catch (IOException e) {
            closeQuietly(plain);
            throw transportFailure(settings, e);
        }
    }

    private static HpxConnectionException transportFailure(ClientSettings settings, IOException e) {
        return new HpxConnectionException("HPX connection to " + address(settings) + " failed: " + e, e);
    }

    private static String address(ClientSettings settings) {
        return settings.host() + ":" + settings.port();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do with a socket that fails to close.
        }
    }
}
