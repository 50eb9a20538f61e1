package io.github.camelhpx.component;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The component's own services across Camel's lifecycle, where no route or server is involved. */
class HpxComponentLifecycleTest {

    /**
     * Configured before the context starts (as Spring Boot and tests do), and stopped without having started: the
     * context's start failed elsewhere, or it was closed unstarted. The stop failed, and Camel logged it on top of
     * the real error.
     */
    @Test
    void aComponentThatNeverStartedStopsCleanly() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            HpxComponent component = context.getComponent("hpx", HpxComponent.class);
            component.getConfiguration().setUser("bob");

            component.stop();

            assertThat(component.isStopped()).isTrue();
        }
    }
}
