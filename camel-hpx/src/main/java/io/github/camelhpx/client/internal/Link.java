package io.github.camelhpx.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import jdk.net.ExtendedSocketOptions;

import io.github.camelhpx.client.HpxConnectionException;
import io.github.camelhpx.client.HpxProtocol;
import io.github.camelhpx.client.HpxProtocolException;
import io.github.camelhpx.client.HpxServerDisconnectedException;
import io.github.camelhpx.client.HpxServerMismatchException;
import io.github.camelhpx.client.HpxTimeoutException;
import io.github.camelhpx.client.Welcome;

/**
 * A socket to an HPX server whose welcome has been read: the welcome's first byte told the protocol
 * generation, and the codec for it is made. What both kinds of connection start from.
 */
public final class Link {

    // A dead peer is found about two minutes after the connection fell silent: 60 s, then 6 probes 10 s apart.
    private static final int KEEPALIVE_IDLE_SECONDS = 60;
    private static final int KEEPALIVE_INTERVAL_SECONDS = 10;
    private static final int KEEPALIVE_PROBES = 6;

    final Socket socket;
    /** The TCP socket under TLS, or {@link #socket} itself. */
    private final Socket plain;
    private final Watchdog.Guard guard;
    final DeadlineInputStream deadlines;
    final InputStream in;
    final OutputStream out;
    public final WireCodec codec;
    final Welcome welcome;
    /** When the welcome was read, in {@link System#nanoTime()}. */
    final long openedAt = System.nanoTime();
    /** The deadline of the call (or the pool's refill) that opened it: whether a call opened it itself. */
    final Deadline openedWithin;

    private Link(Socket plain, Socket socket, Watchdog.Guard guard, DeadlineInputStream deadlines, InputStream in,
            WireCodec codec, Welcome welcome, Deadline openedWithin) throws IOException {
        this.plain = plain;
        this.openedWithin = openedWithin;
        this.socket = socket;
        this.guard = guard;
        this.deadlines = deadlines;
        this.in = in;
        this.out = socket.getOutputStream();
        this.codec = codec;
        this.welcome = welcome;
    }

    /**
     * Connects and reads the welcome within the connect timeout and the call's deadline, handing the socket
     * to {@code attempt} first so that closing it from another thread aborts the whole attempt. With other servers
     * to move to, within half of what is left of the call: a server that accepts and never welcomes (a wedged
     * process) must leave the next one time.
     *
     * @throws HpxProtocolException when the server speaks another generation than {@code settings.protocol()}
     */
    static Link open(ClientSettings settings, Deadline deadline, Consumer<Socket> attempt) {
        Duration stage = deadline.remaining(settings.connectTimeout());
        if (settings.failover()) {
            Duration half = Duration.ofNanos(Math.max(0, deadline.remainingNanos()) / 2);
            if (half.compareTo(stage) < 0) {
                stage = half;
            }
        }
        if (stage.isZero()) {
            throw deadline.expired(address(settings), "waiting for a connection", null);
        }
        Socket socket = new Socket();
        attempt.accept(socket);
        // Armed before the connect: the watchdog's close ends a connect, a TLS handshake or a read that outlives it.
        Watchdog.Guard guard = Watchdog.SHARED.guard(socket);
        guard.arm(System.nanoTime() + stage.toNanos());
        try {
            Socket connected = connect(settings, socket, guard, stage, deadline);
            DeadlineInputStream deadlines = new DeadlineInputStream(guard, connected.getInputStream());
            PushbackInputStream in = new PushbackInputStream(deadlines, 1);
            int first = in.read();
            if (first < 0) {
                throw new HpxServerDisconnectedException("HPX server " + address(settings)
                        + " closed the connection before its welcome");
            }
            in.unread(first);
            WireCodec codec = codec(settings, first);
            try {
                Link link = new Link(socket, connected, guard, deadlines, in, codec, welcome(settings, codec, in),
                        deadline);
                guard.disarm();
                return link;
            } catch (IOException | RuntimeException e) {
                codec.close();
                throw e;
            }
        } catch (SocketTimeoutException e) {
            guard.release();
            closeQuietly(socket);
            throw timeout(settings, deadline, stage, "waiting for the welcome (no welcome: does the server expect TLS?)",
                    e);
        } catch (IOException e) {
            guard.release();
            closeQuietly(socket);
            throw transportFailure(settings, e);
        } catch (RuntimeException e) {
            guard.release();
            closeQuietly(socket);
            throw e;
        }
    }

    /** Whether the socket speaks TLS. */
    boolean overTls() {
        return socket != plain;
    }

    private static WireCodec codec(ClientSettings settings, int firstByte) {
        HpxProtocol spoken = spokenBy(firstByte);
        if (spoken == null) {
            throw new HpxServerMismatchException(String.format("HPX server %s began with byte 0x%02x, neither gzip (G1)"
                    + " nor a MessagePack map (G2): is it an HPX server, and does it use TLS?", address(settings),
                    firstByte), null);
        }
        if (settings.protocol() != HpxProtocol.AUTO && settings.protocol() != spoken) {
            throw new HpxServerMismatchException("HPX server " + address(settings) + " speaks " + spoken
                    + ", but the client is set to protocol " + settings.protocol(), null);
        }
        return spoken == HpxProtocol.G1
                ? new MessageCodec(settings.mapper(), settings.compressionLevel(), settings.maxMessageSize())
                : new MsgpackCodec(settings.msgpackMapper(), settings.maxMessageSize());
    }

    /** The welcome; one that breaks the protocol says no HPX server is there. */
    private static Welcome welcome(ClientSettings settings, WireCodec codec, InputStream in) throws IOException {
        try {
            return readWelcome(codec, in);
        } catch (HpxProtocolException e) {
            throw new HpxServerMismatchException("HPX server " + address(settings) + " sent no HPX welcome: "
                    + e.getMessage(), e);
        }
    }

    private static Welcome readWelcome(WireCodec codec, InputStream in) throws IOException {
        Envelope first = Envelope.parse(codec.decode(codec.readFrame(in)));
        codec.releaseFrame();
        return first.welcome().orElseThrow(
                () -> Envelope.anomaly("is not the welcome an HPX server sends first", first.data()));
    }

    /**
     * TCP keepalive, with probes after a minute of silence where the platform lets it be set: a peer gone without
     * a word (power cut, network cut) leaves a listening connection, which never writes, otherwise open for the
     * system's default of two hours before the first probe.
     */
    private static void keepAlive(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        Set<SocketOption<?>> supported = socket.supportedOptions();
        if (supported.contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS);
        }
        if (supported.contains(ExtendedSocketOptions.TCP_KEEPINTERVAL)) {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, KEEPALIVE_INTERVAL_SECONDS);
        }
        if (supported.contains(ExtendedSocketOptions.TCP_KEEPCOUNT)) {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, KEEPALIVE_PROBES);
        }
    }

    private static Socket connect(ClientSettings settings, Socket plain, Watchdog.Guard guard, Duration stage,
            Deadline deadline) {
        try {
            plain.setTcpNoDelay(true);
            keepAlive(plain);
            plain.connect(new InetSocketAddress(settings.host(), settings.port()));
            if (settings.sslContext() == null) {
                return plain;
            }
            SSLSocket tls = (SSLSocket) settings.sslContext().getSocketFactory()
                    .createSocket(plain, settings.host(), settings.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return tls;
        } catch (SSLException e) {
            guard.release();
            closeQuietly(plain);
            if (guard.expired()) {
                throw timeout(settings, deadline, stage, "connecting", e);
            }
            throw new HpxConnectionException("TLS with HPX server " + address(settings) + " failed (does the server"
                    + " use TLS?): " + e, e);
        } catch (IOException e) {
            guard.release();
            closeQuietly(plain);
            if (guard.expired()) {
                throw timeout(settings, deadline, stage, "connecting", e);
            }
            throw transportFailure(settings, e);
        }
    }

    /** The connect timeout's failure, or the call's when its deadline was the nearer limit. */
    private static HpxTimeoutException timeout(ClientSettings settings, Deadline deadline, Duration stage,
            String phase, Throwable cause) {
        if (stage.compareTo(settings.connectTimeout()) < 0) {
            if (settings.failover() && deadline.remainingNanos() > 0) {
                return new HpxTimeoutException("HPX server " + address(settings) + " did not answer within " + stage
                        + ", its share of the call's time (the other servers get the rest) while " + phase, stage,
                        cause);
            }
            return deadline.expired(address(settings), phase, cause);
        }
        return new HpxTimeoutException("HPX server " + address(settings) + ": connect timeout "
                + settings.connectTimeout() + " passed while " + phase, settings.connectTimeout(), cause);
    }

    /** The generation whose welcome starts with {@code firstByte}, or {@code null} if none does. */
    private static HpxProtocol spokenBy(int firstByte) {
        if (firstByte == 0x1f) {
            return HpxProtocol.G1;
        }
        if ((firstByte >= 0x80 && firstByte <= 0x8f) || firstByte == 0xde || firstByte == 0xdf) {
            return HpxProtocol.G2;
        }
        return null;
    }

    static HpxConnectionException transportFailure(ClientSettings settings, IOException e) {
        return new HpxConnectionException("HPX connection to " + address(settings) + " failed: " + e, e);
    }

    /**
     * This link, for a transport of {@code generation}; closed if the server now speaks another one.
     *
     * @throws GenerationChangedException when it does
     */
    Link speaking(HpxProtocol generation, ClientSettings settings) {
        if (codec.protocol() != generation) {
            close();
            throw new GenerationChangedException(address(settings), generation, codec.protocol());
        }
        return this;
    }

    static String address(ClientSettings settings) {
        return settings.host() + ":" + settings.port();
    }

    /**
     * The TCP socket first: a TLS close sends close_notify under the TLS record lock, which a write stuck on a
     * server that stopped reading holds until the TCP socket goes; the watchdog, which would end that write at its
     * deadline, is let go only after. So no close_notify is sent: the server sees the connection end all the same.
     */
    void close() {
        closeQuietly(plain);
        closeQuietly(socket);
        guard.release();
    }

    public static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do with a socket that fails to close.
        }
    }
}
