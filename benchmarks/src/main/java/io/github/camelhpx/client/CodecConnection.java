package io.github.camelhpx.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the client's own codec classes give for a reply received as {@code byte[]}, for which {@link HpxClient}
 * has no API yet: a socket driven by {@link MessageCodec} (request), {@link FrameDecoder} (split at
 * {@code <EOF>}) and {@link GzipDecoder} (the reply's JSON), read with {@code InputStream.readAllBytes()} —
 * the only way to get all of it out of a {@code GzipDecoder} today. Lives in the client's package (in the
 * benchmarks module) to reach those package-private classes.
 */
public final class CodecConnection implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MessageCodec codec;
    private final FrameDecoder frames;
    private final GzipDecoder gunzip;
    private final String session;

    public CodecConnection(String host, int port, long maxMessageSize) {
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        codec = new MessageCodec(new ObjectMapper(), 5, maxMessageSize);
        frames = new FrameDecoder(maxMessageSize);
        gunzip = new GzipDecoder(maxMessageSize);
        try {
            codec.decode(frames.read(in)); // the welcome
            send("", new ObjectMapper().createObjectNode());
            Envelope auth = Envelope.parse(codec.decode(frames.read(in)));
            if (!auth.isAuthenticated()) {
                throw new IllegalStateException("handshake failed: " + auth);
            }
            session = auth.session();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One round trip; the reply's whole JSON (envelope included) as a new array. */
    public byte[] callForBytes(JsonNode data) {
        try {
            send(session, data);
            FrameDecoder.Frame frame = frames.read(in);
            return gunzip.open(frame.bytes(), frame.offset(), frame.length()).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void send(String session, JsonNode data) throws IOException {
        GrowableBuffer frame = codec.encode(session, "codec", data);
        out.write(frame.array(), 0, frame.size());
    }

    @Override
    public void close() {
        codec.close();
        gunzip.end();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
