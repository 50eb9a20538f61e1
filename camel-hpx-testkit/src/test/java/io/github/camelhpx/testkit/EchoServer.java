package io.github.camelhpx.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP echo server for the proxy tests: it writes back every chunk it reads, answers end of stream
 * with its own, and remembers per connection what it received, in how many reads, and how the stream ended.
 */
final class EchoServer implements AutoCloseable {

    /** One accepted connection as the server saw it. */
    static final class Peer {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final AtomicInteger reads = new AtomicInteger();
        private volatile String end;

        synchronized byte[] received() {
            return received.toByteArray();
        }

        int reads() {
            return reads.get();
        }

        /** "EOF", the message of the exception that ended the connection, or null while it is open. */
        String end() {
            return end;
        }

        private synchronized void record(byte[] b, int n) {
            received.write(b, 0, n);
            reads.incrementAndGet();
        }
    }

    private final ServerSocket serverSocket;
    private final List<Peer> peers = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private EchoServer() throws IOException {
        serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        start("echo-accept", this::acceptLoop);
    }

    static EchoServer start() throws IOException {
        return new EchoServer();
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** Connections in accept order. */
    List<Peer> peers() {
        return peers;
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        while (true) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                return;
            }
            Peer p = new Peer();
            peers.add(p);
            sockets.add(s);
            start("echo-" + peers.size(), () -> echo(s, p));
        }
    }

    private static void echo(Socket s, Peer p) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) >= 0) {
                p.record(buf, n);
                out.write(buf, 0, n);
            }
            p.end = "EOF";
            s.shutdownOutput();
        } catch (IOException e) {
            if (p.end == null) {
                p.end = String.valueOf(e.getMessage());
            }
        }
    }

    @Override
    public void close() throws Exception {
        serverSocket.close();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
    }
}
