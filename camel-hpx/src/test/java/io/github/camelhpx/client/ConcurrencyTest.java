package io.github.camelhpx.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.camelhpx.testkit.FunctionSpec;
import io.github.camelhpx.testkit.HpxTestServerExtension;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConcurrencyTest {

    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 1000;

    @RegisterExtension
    final HpxTestServerExtension hpx = HpxTestServerExtension.create(b -> b.function(FunctionSpec.echo()));

    @Test
    void everyReplyReachesItsOwnCaller() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (HpxClient client = TestClients.to(hpx.server()).poolSize(4).build()) {
            List<Callable<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(() -> {
                    int matched = 0;
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        String request = thread + ":" + i;
                        if (client.call("echo", Map.of("value", request)).asText().equals(request)) {
                            matched++;
                        }
                    }
                    return matched;
                });
            }
            int matched = 0;
            for (Future<Integer> result : threads.invokeAll(workers)) {
                matched += result.get();
            }

            assertThat(matched).isEqualTo(THREADS * CALLS_PER_THREAD);
            assertThat(client.openConnections()).isLessThanOrEqualTo(4);
            assertThat(hpx.server().sessionIds()).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }
}
