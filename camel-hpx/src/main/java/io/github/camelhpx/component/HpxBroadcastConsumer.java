package io.github.camelhpx.component;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.camelhpx.client.Broadcast;
import io.github.camelhpx.client.BroadcastWatch;
import io.github.camelhpx.client.HpxClient;

import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("hpx:broadcast")}: emits every broadcast of the server (ServerQuit, ServerRestart) as an exchange.
 * It keeps a connection of the shared session open only to listen, and after the server went away reconnects
 * with back-off and logs in again (see {@link BroadcastWatch}); a broadcast read by a producer's connection of
 * the same session arrives here too, once.
 * <p>
 * Two threads of its own: the watch, which blocks reading, and the one the exchanges run on, so that neither a
 * slow route nor a client thread that happened to read the broadcast holds up the other.
 */
@ManagedResource(description = "Managed HPX broadcast consumer: its connection and reconnects")
public class HpxBroadcastConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(HpxBroadcastConsumer.class);
    /** Broadcasts that wait for a route that is busy: more than a server sends in a day, short of a loop. */
    static final int MAX_QUEUED = 1000;

    private final HpxConfiguration configuration;
    private final HpxReplyWriter writer;
    private volatile HpxWatchState state;
    private HpxClientLease lease;
    private ExecutorService watchExecutor;
    private volatile ExecutorService deliveryExecutor;
    /** The thread a broadcast is on the route on, while it is. */
    private volatile Thread delivering;
    private AutoCloseable listener;
    private BroadcastWatch watch;
    private boolean interruptedWhileStopping;
    /**
     * Broadcasts queued for the route, in order: told of when a forced stop takes them off the queue (whatever an
     * application's thread pool factory wraps them in).
     */
    private final Queue<Delivery> queued = new ConcurrentLinkedQueue<>();

    public HpxBroadcastConsumer(HpxEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.configuration = endpoint.getConfiguration();
        this.writer = new HpxReplyWriter(endpoint.objectMapper(), null, false);
    }

    @Override
    public HpxEndpoint getEndpoint() {
        return (HpxEndpoint) super.getEndpoint();
    }

    @Override
    protected void doBuild() throws Exception {
        // Camel's consumer check of the route (consumer:<route id>) calls this one and adds the endpoint's URI.
        setHealthCheck(new HpxHealthCheck("consumer:" + getRouteId(), getEndpoint().getServiceUrl(), null, this::health,
                () -> lease == null ? null : lease.client()));
        super.doBuild();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        getHealthCheck().setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
        if (configuration.getReconnectDelay() <= 0 || configuration.getMaxReconnectDelay() < configuration.getReconnectDelay()) {
            throw new IllegalArgumentException("The HPX broadcast consumer needs 0 < reconnectDelay <= maxReconnectDelay, not "
                                               + configuration.getReconnectDelay() + " and "
                                               + configuration.getMaxReconnectDelay() + " ms");
        }
    }

    @ManagedAttribute(description = "Whether the consumer's connection to the HPX server is open")
    public boolean isConnected() {
        return health().up();
    }

    @ManagedAttribute(description = "Connections made again after the server went away, since the consumer started")
    public long getReconnects() {
        HpxWatchState current = state;
        return current == null ? 0 : current.reconnects();
    }

    private HpxHealth health() {
        HpxWatchState current = state;
        return current == null ? HpxHealth.down("Not started", null) : current.health();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        state = new HpxWatchState(getEndpoint().getServiceUrl(), this::handleException);
        lease = getEndpoint().getComponent().acquireClient(configuration);
        HpxClient client = lease.client();
        deliveryExecutor = executors.newThreadPool(this, "HpxBroadcast", deliveryProfile());
        watchExecutor = executors.newSingleThreadExecutor(this, "HpxBroadcastWatch");
        listener = client.onBroadcast(this::onBroadcast);
        watch = client.watchBroadcasts(watchExecutor, Duration.ofMillis(configuration.getReconnectDelay()),
                Duration.ofMillis(configuration.getMaxReconnectDelay()), state);
    }

    /**
     * One thread, so that broadcasts reach the route in the order read, and a bounded queue that refuses the next
     * broadcast when full: Camel's default profile would run the route on the thread that read it, a G2 connection's
     * reader among them, where the route's own hpx calls could not be answered.
     */
    private static ThreadPoolProfile deliveryProfile() {
        ThreadPoolProfile profile = new ThreadPoolProfile("HpxBroadcast");
        profile.setPoolSize(1);
        profile.setMaxPoolSize(1);
        profile.setMaxQueueSize(MAX_QUEUED);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        return profile;
    }

    /** On the thread that read the broadcast, possibly a client thread in the middle of a call: hand it over. */
    private void onBroadcast(Broadcast broadcast) {
        state.announced(broadcast.command());
        Delivery delivery = new Delivery(broadcast, deliveryExecutor);
        queued.add(delivery);
        try {
            delivery.by.execute(delivery);
        } catch (RejectedExecutionException refused) {
            queued.remove(delivery);
            dropped(broadcast, isRunAllowed() ? "its route is " + MAX_QUEUED + " broadcasts behind"
                    : "the consumer is stopping or suspended");
        }
    }

    /** A broadcast queued for the route by {@code by}. */
    private final class Delivery implements Runnable {

        private final Broadcast broadcast;
        private final ExecutorService by;

        Delivery(Broadcast broadcast, ExecutorService by) {
            this.broadcast = broadcast;
            this.by = by;
        }

        @Override
        public void run() {
            queued.remove(this);
            if (by != deliveryExecutor) {
                // Queued before a stop, and the consumer has started again since, with a thread of its own.
                dropped(broadcast, "the consumer stopped before its turn");
                return;
            }
            Thread thread = Thread.currentThread();
            delivering = thread;
            try {
                emit(broadcast);
            } finally {
                // Unless the consumer, stopped on this thread, started again and delivers on its new one.
                if (delivering == thread) {
                    delivering = null;
                }
            }
        }
    }

    private void emit(Broadcast broadcast) {
        if (isRunAllowed()) {
            HpxEmitter.emit(this, message -> writer.broadcast(message, broadcast));
        } else {
            dropped(broadcast, "the consumer is stopping or suspended");
        }
    }

    /** Said, not silent: the route will never see it, and the server does not send it again. */
    private void dropped(Broadcast broadcast, String why) {
        LOG.warn("Dropping HPX broadcast {} of {}: {}", broadcast.command(), broadcast.server(), why);
    }

    @Override
    protected void doStop() throws Exception {
        ExecutorServiceManager executors = getEndpoint().getCamelContext().getExecutorServiceManager();
        // Closing the watch closes its connection or ends its wait at once, and waits for its thread to end.
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (state != null) {
            // Else the JMX attribute and the dev console would still say it listens.
            state.stopped();
        }
        if (listener != null) {
            listener.close();
            listener = null;
        }
        if (watchExecutor != null) {
            executors.shutdownNow(watchExecutor);
            watchExecutor = null;
        }
        if (deliveryExecutor != null && Thread.currentThread() == delivering) {
            // Stopped from its own route (a route policy that throttles, say): the broadcast on the route is this
            // thread's, and goes on once the stop returns; waiting for it would wait for the whole timeout.
            executors.shutdown(deliveryExecutor);
        } else if (deliveryExecutor != null) {
            // A broadcast already on the route finishes, within the time Camel gives a route to stop: the executor
            // manager's own wait (10 s by default) would interrupt it sooner. One still queued is dropped
            // (isRunAllowed is false now), and one read from now on is rejected.
            ShutdownStrategy shutdown = getEndpoint().getCamelContext().getShutdownStrategy();
            deliveryExecutor.shutdown();
            if (!awaitDeliveries(shutdown.getTimeout(), shutdown.getTimeUnit())) {
                // Forced: the broadcast on the route is interrupted, and those still queued never reach it. (The
                // executor manager's shutdownNow would drop them unseen.)
                deliveryExecutor.shutdownNow();
                for (Delivery left : queued) {
                    if (left.by == deliveryExecutor && queued.remove(left)) {
                        dropped(left.broadcast, "the route did not end within the shutdown timeout");
                    }
                }
            }
            executors.shutdown(deliveryExecutor);
        }
        try {
            if (lease != null) {
                lease.close();
                lease = null;
            }
            super.doStop();
        } finally {
            if (interruptedWhileStopping) {
                interruptedWhileStopping = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether the deliveries ended within the timeout. Camel interrupts this wait when a stop's own timeout passes
     * first: that forces them to end too, and the interrupt is kept for the end of the stop, so that the client's
     * close before it is not cut short.
     */
    private boolean awaitDeliveries(long timeout, TimeUnit unit) {
        try {
            return deliveryExecutor.awaitTermination(timeout, unit);
        } catch (InterruptedException e) {
            interruptedWhileStopping = true;
            return false;
        }
    }
}
