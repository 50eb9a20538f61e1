package io.github.camelhpx.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the embedded server that answers with frames the embedded server sent before, byte for
 * byte: its welcome on connect, its "Authenticated" reply to a handshake (a message with an empty session), and
 * one recorded reply to every other message. It does no work per call beyond reading the request, so a big
 * reply's figures show what the client costs, not what producing 50 MB of JSON and compressing it costs the
 * server. Lock-step, one thread per connection.
 */
public final class ReplayServer implements AutoCloseable {

    private final byte[] welcome;
    private final byte[] authenticated;
    private final byte[] reply;
    private final ServerSocket serverSocket;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    public ReplayServer(byte[] welcome, byte[] authenticated, byte[] reply) {
        this.welcome = welcome;
        this.authenticated = authenticated;
        this.reply = reply;
        try {
            serverSocket = new ServerSocket();
            serverSocket.bind(new InetSocketAddress(InetAddress.getByName(ServerState.HOST), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "replay-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    private void accept() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                sockets.add(socket);
                Thread t = new Thread(() -> serve(socket), "replay-server-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BareFrames frames = new BareFrames()) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(welcome);
            while (true) {
                frames.read(in);
                int n = frames.inflateReused();
                String head = new String(frames.plain(), 0, Math.min(n, 40), StandardCharsets.UTF_8).replace(" ", "");
                out.write(head.startsWith("{\"session\":\"\"") ? authenticated : reply);
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            sockets.remove(socket);
        }
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
