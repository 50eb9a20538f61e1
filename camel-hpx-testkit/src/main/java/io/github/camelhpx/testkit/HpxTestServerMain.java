package io.github.camelhpx.testkit;

import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the test server from the command line until killed:
 * {@code java -jar camel-hpx-testkit-<version>-standalone.jar --port 7007 [--host 0.0.0.0] [--user name:pass]...
 * [--no-guests] [--session-span 30m|10s|500ms] [--tls keystore.p12:password] [--name x] [--protocol g1|g2]}.
 */
public final class HpxTestServerMain {

    static final String USAGE = "usage: java -jar camel-hpx-testkit-standalone.jar [--port 7007] [--host 127.0.0.1]"
            + " [--user name:pass]... [--no-guests] [--disable-default-user] [--session-span 30m|10s|500ms]"
            + " [--tls keystore.p12:password] [--name server_name] [--galleries n] [--protocol g1|g2]"
            + " [--concurrent-replies n] [--split-at-first-eof]";

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private HpxTestServerMain() {
    }

    public static void main(String[] args) throws Exception {
        HpxTestServer server;
        try {
            server = parse(args).build();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "hpx-test-server-shutdown"));
        announce(server, System.out);
        stopped.await();
    }

    static void announce(HpxTestServer server, PrintStream out) {
        out.println("HPX test server '" + server.serverName() + "' listening on " + server.host() + ":" + server.port());
        out.flush();
    }

    /** The builder the arguments describe; defaults to port 7007 like the real server. */
    static HpxTestServer.Builder parse(String[] args) throws Exception {
        HpxTestServer.Builder b = HpxTestServer.builder().port(7007);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port":
                    b.port(Integer.parseInt(value(args, ++i, a)));
                    break;
                case "--host":
                    b.host(value(args, ++i, a));
                    break;
                case "--user": {
                    // names rarely hold a colon, passwords may
                    String[] up = split(value(args, ++i, a), a, false);
                    b.user(up[0], up[1]);
                    break;
                }
                case "--no-guests":
                    b.guestsAllowed(false);
                    break;
                case "--disable-default-user":
                    b.defaultUserDisabled(true);
                    break;
                case "--session-span":
                    b.sessionSpan(duration(value(args, ++i, a)));
                    break;
                case "--tls": {
                    // a Windows path holds a colon, so the password is after the last one
                    String[] kp = split(value(args, ++i, a), a, true);
                    b.tls(sslContext(Path.of(kp[0]), kp[1].toCharArray()));
                    break;
                }
                case "--name":
                    b.serverName(value(args, ++i, a));
                    break;
                case "--galleries":
                    b.library(SampleLibrary.galleries(Integer.parseInt(value(args, ++i, a))));
                    break;
                case "--protocol":
                    b.protocol(protocol(value(args, ++i, a)));
                    break;
                case "--concurrent-replies":
                    b.concurrentReplies(Integer.parseInt(value(args, ++i, a)));
                    break;
                case "--split-at-first-eof":
                    b.splitAtFirstEof(true);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return b;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String[] split(String s, String option, boolean atLast) {
        int colon = atLast ? s.lastIndexOf(':') : s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(option + " expects a:b, got " + s);
        }
        return new String[] {s.substring(0, colon), s.substring(colon + 1)};
    }

    static Protocol protocol(String s) {
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "g1": return Protocol.G1;
            case "g2": return Protocol.G2;
            default: throw new IllegalArgumentException("--protocol expects g1 or g2, got " + s);
        }
    }

    static Duration duration(String s) {
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration " + s + " (use e.g. 30m, 10s, 500ms)");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            default: return Duration.ofHours(n);
        }
    }

    static SSLContext sslContext(Path keystore, char[] password) throws Exception {
        try (InputStream in = Files.newInputStream(keystore)) {
            return HpxTestTls.serverContext(in, password);
        }
    }
}
