package io.github.camelhpx.example.springboot;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.camelhpx.testkit.HpxTestServer;
import io.github.camelhpx.testkit.SampleLibrary;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides which HPX server the example talks to, before the component is configured (registered in
 * {@code META-INF/spring.factories}):
 * <ul>
 * <li>{@code camel.component.hpx.host} set (in any of Spring Boot's ways): that server, nothing to do;</li>
 * <li>{@code hpx.host} set (e.g. the environment variable {@code HPX_HOST}, as for the Camel Main example): that
 * server, with {@code hpx.port}, {@code hpx.user} and {@code hpx.password} if set;</li>
 * <li>neither: the embedded server of camel-hpx-testkit on a free port, with the user {@code demo} and 40 sample
 * galleries, stopped with the application (after the routes).</li>
 * </ul>
 * The values go in as the lowest-precedence property source, below {@code application.yaml}; the
 * {@code camel.component.hpx.*} ones as placeholders of the {@code hpx.*} ones.
 */
public class EmbeddedHpxServer implements ApplicationListener<ApplicationEvent> {

    static final String SOURCE_NAME = "hpxServer";
    static final String DEMO_USER = "demo";
    private static final String COMPONENT = "camel.component.hpx.";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedHpxServer.class);

    private HpxTestServer server;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            configure(prepared.getEnvironment());
        } else if (event instanceof ApplicationPreparedEvent prepared && server != null
                   && prepared.getApplicationContext() instanceof GenericApplicationContext context) {
            // A bean of the context, registered before all others: it is closed after them, so the routes stop
            // before their server goes away.
            HpxTestServer running = server;
            context.registerBean("embeddedHpxServer", HpxTestServer.class, () -> running,
                    definition -> definition.setDestroyMethodName("close"));
        } else if (event instanceof ApplicationFailedEvent) {
            stop();
        }
    }

    void configure(ConfigurableEnvironment environment) {
        if (environment.containsProperty(COMPONENT + "host")) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        if (!environment.containsProperty("hpx.host")) {
            String password = Long.toHexString(Double.doubleToLongBits(Math.random()));
            server = HpxTestServer.builder()
                    .serverName("camel_hpx_spring_boot_example")
                    .guestsAllowed(false)
                    .user(DEMO_USER, password)
                    .library(SampleLibrary.galleries(40))
                    .build().start();
            LOG.info("No HPX server configured (camel.component.hpx.host or HPX_HOST): started the embedded one on {}:{}",
                    server.host(), server.port());
            properties.put("hpx.host", server.host());
            properties.put("hpx.port", server.port());
            properties.put("hpx.user", DEMO_USER);
            properties.put("hpx.password", password);
            // generated demo credentials of a server that lives as long as the application: no secret to warn about
            properties.put("camel.security.allowed-properties", COMPONENT + "user," + COMPONENT + "password");
        }
        // camel.component.hpx.* refer to hpx.*, only for those that are set: a guest has no user and no password
        for (String key : new String[] { "host", "port", "user", "password" }) {
            if (properties.containsKey("hpx." + key) || environment.containsProperty("hpx." + key)) {
                properties.put(COMPONENT + key, "${hpx." + key + "}");
            }
        }
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, properties));
    }

    /** The embedded server, if this application started one. */
    HpxTestServer server() {
        return server;
    }

    private void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
