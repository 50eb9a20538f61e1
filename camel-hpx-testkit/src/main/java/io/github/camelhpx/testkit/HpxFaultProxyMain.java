package io.github.camelhpx.testkit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Runs a fault proxy from the command line until killed, then prints the faults it dealt by kind:
 * {@code java -cp camel-hpx-testkit-<version>-standalone.jar io.github.camelhpx.testkit.HpxFaultProxyMain
 * --upstream 127.0.0.1:7007 [--port 0] [--host 127.0.0.1] [--toxic cut:down:100]...
 * [--random seed:probability[:kind,kind...]]}.
 */
public final class HpxFaultProxyMain {

    static final String USAGE = "usage: java -cp camel-hpx-testkit-standalone.jar " + HpxFaultProxyMain.class.getName()
            + " --upstream host:port [--port 0] [--host 127.0.0.1] [--toxic kind:up|down[:arg]...]..."
            + " [--random seed:probability[:kind,kind...]]; toxics: " + ToxicSpec.FORMS;

    private HpxFaultProxyMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        HpxFaultProxy proxy;
        try {
            proxy = parse(args);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        proxy.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            System.out.println("faults by kind: " + faultsByKind(proxy));
            System.out.flush();
            stopped.countDown();
        }, "hpx-fault-proxy-shutdown"));
        announce(proxy, System.out);
        stopped.await();
    }

    static void announce(HpxFaultProxy proxy, PrintStream out) {
        out.println("HPX fault proxy listening on " + proxy.host() + ":" + proxy.port());
        out.flush();
    }

    static Map<Toxic.Kind, Long> faultsByKind(HpxFaultProxy proxy) {
        return proxy.faultLog().stream().collect(Collectors.groupingBy(r -> r.toxic().kind(), Collectors.counting()));
    }

    /** The proxy the arguments describe, with its rules set, not started. */
    static HpxFaultProxy parse(String[] args) {
        HpxFaultProxy.Builder b = HpxFaultProxy.builder();
        List<String> toxics = new ArrayList<>();
        String random = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--upstream": {
                    String hostPort = value(args, ++i, a);
                    int colon = hostPort.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--upstream expects host:port, got " + hostPort);
                    }
                    b.upstream(hostPort.substring(0, colon), port(hostPort.substring(colon + 1)));
                    break;
                }
                case "--port":
                    b.listenPort(port(value(args, ++i, a)));
                    break;
                case "--host":
                    b.listenHost(value(args, ++i, a));
                    break;
                case "--toxic":
                    toxics.add(value(args, ++i, a));
                    break;
                case "--random":
                    random = value(args, ++i, a);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + a);
            }
        }
        HpxFaultProxy proxy = b.build();
        // Rules are set after build: the proxy holds them, not the builder
        toxics.forEach(spec -> proxy.everyConnection(ToxicSpec.parse(spec)));
        if (random != null) {
            random(proxy, random);
        }
        return proxy;
    }

    private static void random(HpxFaultProxy proxy, String spec) {
        String[] p = spec.split(":", -1);
        if (p.length < 2 || p.length > 3) {
            throw new IllegalArgumentException("--random expects seed:probability[:kind,kind...], got " + spec);
        }
        Toxic.Kind[] kinds = p.length == 2 ? new Toxic.Kind[0]
                : Arrays.stream(p[2].split(",")).map(ToxicSpec::kind).toArray(Toxic.Kind[]::new);
        try {
            proxy.randomFaults(Long.parseLong(p[0]), Double.parseDouble(p[1]), kinds);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--random expects seed:probability[:kind,kind...], got " + spec, e);
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port: " + s, e);
        }
    }
}
