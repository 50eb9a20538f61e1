package io.github.camelhpx.component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import io.github.camelhpx.client.HpxClient;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's shared clients, one per {@link HpxClientKey}, counted by lease: opened by the first
 * {@link #acquire}, closed when the last lease is closed.
 */
final class HpxClientRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HpxClientRegistry.class);

    private final Map<HpxClientKey, Shared> shared = new HashMap<>();

    synchronized HpxClientLease acquire(HpxConfiguration configuration, CamelContext context) {
        HpxClientKey key = HpxClientKey.of(configuration);
        Shared entry = shared.get(key);
        if (entry == null) {
            HpxClient.Builder builder = HpxClientFactory.builder(configuration, context);
            // The client's calls run on Camel-managed threads, one per pooled connection.
            ExecutorService executor = context.getExecutorServiceManager()
                    .newFixedThreadPool(this, "HpxClient", configuration.getPoolSize());
            entry = new Shared(context, builder.executor(executor).build(), executor);
            shared.put(key, entry);
            LOG.debug("Created the shared client of {}", key);
        }
        entry.users++;
        Shared leased = entry;
        return new HpxClientLease(entry.client, () -> release(key, leased));
    }

    synchronized void closeAll() {
        List<Shared> open = new ArrayList<>(shared.values());
        shared.clear();
        open.forEach(Shared::close);
    }

    private synchronized void release(HpxClientKey key, Shared entry) {
        if (--entry.users == 0 && shared.remove(key, entry)) {
            entry.close();
            LOG.debug("Closed the shared client of {}", key);
        }
    }

    private static final class Shared {

        private final CamelContext context;
        private final HpxClient client;
        private final ExecutorService executor;
        private int users;

        Shared(CamelContext context, HpxClient client, ExecutorService executor) {
            this.context = context;
            this.client = client;
            this.executor = executor;
        }

        void close() {
            client.close();
            context.getExecutorServiceManager().shutdownNow(executor);
        }
    }
}
