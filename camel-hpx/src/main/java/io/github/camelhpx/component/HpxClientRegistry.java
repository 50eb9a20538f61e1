package io.github.camelhpx.component;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import io.github.camelhpx.client.HpxClient;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's shared clients, one per {@link HpxClientKey}, counted by lease: opened by the first
 * {@link #acquire}, closed when the last lease is closed.
 */
final class HpxClientRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HpxClientRegistry.class);

    /** The id of a thread-pool profile an application may register to size the HPX clients' threads itself. */
    static final String THREAD_POOL_PROFILE = "hpx-client";
    private static final int MAX_QUEUED_CALLS = 10_000;

    /** How many sessions of closed clients are remembered: the server may keep them, and they stay the component's. */
    private static final int FORMER_SESSIONS_KEPT = 1_000;

    // Changed under this registry's lock; read without it by holdsSession, which a client's close must not hold up.
    private final Map<HpxClientKey, Shared> shared = new ConcurrentHashMap<>();
    private final Set<String> formerSessions = Collections.synchronizedSet(new LinkedHashSet<>());

    synchronized HpxClientLease acquire(HpxConfiguration configuration, CamelContext context) {
        HpxClientKey key = HpxClientKey.of(configuration);
        Shared entry = shared.get(key);
        if (entry == null) {
            HpxClient.Builder builder = HpxClientFactory.builder(configuration, context);
            // G1 calls run on Camel-managed threads, one per pooled connection; G2 calls leave a reader for them, and
            // wait there for a connect, or write a request once a slot is theirs, never wait for a slot or a reply.
            ExecutorService executor = context.getExecutorServiceManager()
                    .newThreadPool(this, "HpxClient", threadPoolProfile(context, configuration.getPoolSize()));
            entry = new Shared(context, builder.executor(executor).build(), executor);
            shared.put(key, entry);
            LOG.debug("Created the shared client of {}", key);
        }
        entry.users++;
        Shared leased = entry;
        return new HpxClientLease(entry.client, entry.probe, () -> release(key, leased));
    }

    /**
     * The profile of the clients' threads: {@value #THREAD_POOL_PROFILE}, unless the application registered one of
     * that id. A full queue rejects the call with a typed error: the default profile's caller-runs policy would
     * run a blocking call on the route's thread of an asynchronous producer, unseen.
     */
    private static String threadPoolProfile(CamelContext context, int poolSize) {
        ExecutorServiceManager executors = context.getExecutorServiceManager();
        String id = THREAD_POOL_PROFILE + "-" + poolSize;
        ThreadPoolProfile custom = executors.getThreadPoolProfile(THREAD_POOL_PROFILE);
        if (custom != null) {
            if (custom.getRejectedPolicy() == null) {
                // Camel would fill in its default profile's CallerRuns: the very thing this profile exists to avoid.
                custom.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
            } else if (custom.getRejectedPolicy() == ThreadPoolRejectedPolicy.CallerRuns) {
                // The caller can be a G2 connection's reader, which would then write requests, or the client's timer.
                LOG.warn("The thread pool profile {} asks for the rejection policy CallerRuns, which the HPX client"
                        + " cannot use (its callers include connection readers): Abort is used instead",
                        THREAD_POOL_PROFILE);
                custom.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
            }
            return THREAD_POOL_PROFILE;
        }
        if (executors.getThreadPoolProfile(id) == null) {
            ThreadPoolProfile profile = new ThreadPoolProfile(id);
            profile.setPoolSize(poolSize);
            profile.setMaxPoolSize(poolSize);
            profile.setMaxQueueSize(MAX_QUEUED_CALLS);
            profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
            executors.registerThreadPoolProfile(profile);
        }
        return id;
    }

    /** The shared client of this configuration, while a producer or consumer holds a lease on it. */
    synchronized Optional<HpxClient> find(HpxConfiguration configuration) {
        Shared entry = shared.get(HpxClientKey.of(configuration));
        return entry == null ? Optional.empty() : Optional.of(entry.client);
    }

    /** The shared clients open now, by what they share. */
    synchronized Map<HpxClientKey, HpxClient> open() {
        Map<HpxClientKey, HpxClient> open = new LinkedHashMap<>();
        shared.forEach((key, entry) -> open.put(key, entry.client));
        return open;
    }

    /** Whether {@code session} is the session of one of the shared clients, or was when it closed. */
    boolean holdsSession(String session) {
        return shared.values().stream().anyMatch(entry -> session.equals(entry.client.sessionId()))
                || formerSessions.contains(session);
    }

    /** Remembers the session of a client about to leave {@link #shared}: before, so that no look misses it. */
    private void remember(Shared entry) {
        String session = entry.client.sessionId();
        if (session != null) {
            synchronized (formerSessions) {
                formerSessions.add(session);
                if (formerSessions.size() > FORMER_SESSIONS_KEPT) {
                    formerSessions.remove(formerSessions.iterator().next());
                }
            }
        }
    }

    synchronized void closeAll() {
        List<Shared> open = new ArrayList<>(shared.values());
        open.forEach(this::remember);
        shared.clear();
        open.forEach(Shared::close);
    }

    private synchronized void release(HpxClientKey key, Shared entry) {
        if (--entry.users == 0 && shared.get(key) == entry) {
            remember(entry);
            shared.remove(key);
            entry.close();
            LOG.debug("Closed the shared client of {}", key);
        }
    }

    private static final class Shared {

        private final CamelContext context;
        private final HpxClient client;
        private final HpxClientProbe probe;
        private final ExecutorService executor;
        private int users;

        Shared(CamelContext context, HpxClient client, ExecutorService executor) {
            this.context = context;
            this.client = client;
            this.probe = new HpxClientProbe(client);
            this.executor = executor;
        }

        void close() {
            client.close();
            // Not shutdownNow: a dropped queued call's future would never complete. Queued calls run and fail at
            // once on the closed client.
            context.getExecutorServiceManager().shutdown(executor);
        }
    }
}
